# The two commands a newcomer runs:
#   go run ./examples/quickstart   (or make quickstart) runs the quickstart against the embedded emulator
#   make test                      runs every test (MariaDB, PostgreSQL and Redis included; started or installed if needed)

GO ?= go

.PHONY: quickstart test test-short vet generate-check bench fuzz

quickstart:
	$(GO) run ./examples/quickstart

test: vet generate-check
	./scripts/ensure-mariadb.sh
	./scripts/ensure-redis.sh
	./scripts/ensure-postgres.sh
	$(GO) test -race -count=1 -timeout 30m ./...

# test-short skips nothing that CI needs; it only drops -race for a quick loop.
test-short:
	./scripts/ensure-mariadb.sh
	./scripts/ensure-redis.sh
	./scripts/ensure-postgres.sh
	$(GO) test -count=1 ./...

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

# Fails when the committed modules/ differ from what go generate would write.
generate-check:
	$(GO) run ./cmd/zhgen -check -metadata spec/metadata -pkg modules -out modules

# bench runs every benchmark (docs/performance.md has the figures and how to
# read them), then the codec ones again built with GOEXPERIMENT=jsonv2: Go's
# new JSON engine behind encoding/json, and encoding/json/v2 itself.
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...
	GOEXPERIMENT=jsonv2 $(GO) test -run='^$$' -bench='Decode|Encode' -benchmem .

fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzConditionRoundTrip -fuzztime=30s .
	$(GO) test -run='^$$' -fuzz=FuzzParseCriteria -fuzztime=30s ./zohotest/
	$(GO) test -run='^$$' -fuzz=FuzzParseCOQL -fuzztime=30s ./zohotest/
	$(GO) test -run='^$$' -fuzz=FuzzHandler -fuzztime=30s ./zohotest/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeRecord -fuzztime=30s .
	$(GO) test -run='^$$' -fuzz=FuzzResponses -fuzztime=30s .
