package zohohub

// Zoho CRM's limits that the client holds to, in one place. Each names the
// page of Zoho's API documentation that states it
// (https://www.zoho.com/crm/developer/docs/api/v8/<page>) and the section of
// docs/wire.md that records it. Going past one is an error answer from Zoho
// (the code is named), so the client splits or refuses before sending.
const (
	// maxRecordsPerWrite is the most records in one insert, update or
	// upsert (the "data" array) and ids in one delete: insert-records.html,
	// update-records.html, upsert-records.html, delete-records.html
	// (docs/wire.md §2.2–2.5, §9).
	maxRecordsPerWrite = 100

	// pageSize is the most records a page of a listing or a search holds,
	// and per_page's default: get-records.html, search-records.html
	// (docs/wire.md §2.1, §3).
	pageSize = 200

	// pageWindow is how many records page numbers reach in a listing
	// (beyond, DISCRETE_PAGINATION_LIMIT_EXCEEDED: page_token is needed),
	// and how many a search reaches at all (LIMIT_REACHED):
	// get-records.html, search-records.html (docs/wire.md §2.1, §3).
	pageWindow = 2000

	// listReach is how many records page_token reaches in a listing
	// (beyond, PAGINATION_LIMIT_EXCEEDED): get-records.html (docs/wire.md
	// §2.1).
	listReach = 100000

	// coqlPageSize is the most rows one COQL call returns (its LIMIT):
	// COQL-Limitations.html (docs/wire.md §4).
	coqlPageSize = 2000

	// coqlMaxOffset is how many rows COQL's offset reaches:
	// COQL-Limitations.html (docs/wire.md §4).
	coqlMaxOffset = 100000

	// maxFieldsParam is the most API names in one fields parameter of a GET
	// (beyond, LIMIT_EXCEEDED) and in one COQL select list:
	// get-records.html, COQL-Limitations.html (docs/wire.md §2.1, §4).
	maxFieldsParam = 50

	// maxIDsPerRequest is the most ids in one GET ?ids=: get-records.html.
	maxIDsPerRequest = 100

	// maxIDDigits is the length of the longest record id: Zoho's ids are
	// digit strings of 18 to 19 digits (docs/wire.md §6; the largest 64-bit
	// integer has 19), so a longer one is no id of Zoho's.
	maxIDDigits = 19

	// maxCriteriaConditions is the most comparisons in one search's
	// criteria: search-records.html (docs/wire.md §3).
	maxCriteriaConditions = 10

	// maxInValues is the most values an In condition takes: search criteria
	// allow 100 (search-records.html, docs/wire.md §3), COQL 50 by the
	// stricter of Zoho's two statements (COQL-Limitations.html); one limit
	// serves both forms.
	maxInValues = 50

	// maxBulkReadFields is the most fields one Bulk Read job exports:
	// bulk-read/create-job.html (docs/wire.md §7).
	maxBulkReadFields = 200

	// maxBulkWriteRows is the most records one Bulk Write file (so one
	// job) holds: bulk-write/limitations.html (docs/wire.md §7, §9).
	maxBulkWriteRows = 25000

	// maxBulkWriteColumns is the most columns one Bulk Write file holds
	// (and fields one job maps): bulk-write/limitations.html,
	// bulk-write/create-job.html (docs/wire.md §7, §9).
	maxBulkWriteColumns = 200

	// maxBulkWriteZipBytes is the largest zip Zoho's upload host takes
	// for a Bulk Write job (beyond, FILE_TOO_LARGE):
	// bulk-write/limitations.html, bulk-write/upload-file.html
	// (docs/wire.md §7, §9).
	maxBulkWriteZipBytes = 25 << 20
)

// The limits of the actions on records (docs/wire.md §12.3–12.6).
const (
	// maxIDsPerAction is the most record ids one add_tags, remove_tags,
	// mass update or change of owner takes: add-tags.html,
	// mass-update-records.html, change-owner.html.
	maxIDsPerAction = 500

	// maxTagNameLength is the longest name of a tag, in characters:
	// tags.json's Tag.name.
	maxTagNameLength = 25
)
