package zohotest

import (
	"math/big"
	"strings"
	"testing"
)

// numberDigits reads plain decimals without big.Rat; it must agree with
// big.Rat, which reads every other form.
func TestNumberDigitsAgreesWithBigRat(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"0", "-0", "5", "+5", "12.50", "-12.5", "0.001", "007.5", ".5", "5.", "1e3", "1.5E-2", "-2.50e1",
		"123456789012345678901234.125", ".", "", "-", "1.2.3", "--1", "+-1", "Inf", "NaN", "0x1p3", "1_000", "1e"} {
		gotInt, gotFrac, gotOK := numberDigits(s)
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			if gotOK {
				t.Errorf("numberDigits(%q) = %d, %d, true; big.Rat cannot read it", s, gotInt, gotFrac)
			}
			continue
		}
		intPart := new(big.Int).Quo(r.Num(), r.Denom())
		wantInt := len(strings.TrimPrefix(intPart.String(), "-"))
		wantFrac := 0
		for x := new(big.Rat).Set(r); !x.IsInt(); wantFrac++ {
			x.Mul(x, big.NewRat(10, 1))
		}
		if !gotOK || gotInt != wantInt || gotFrac != wantFrac {
			t.Errorf("numberDigits(%q) = %d, %d, %v; want %d, %d", s, gotInt, gotFrac, gotOK, wantInt, wantFrac)
		}
	}
}
