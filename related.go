package zohohub

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// RelatedList is a related list of the records of P's module, whose
// records are Rs, named by its API name (the last segment of its href in
// GET /settings/related_lists). Generated code declares one per related
// list of a module:
//
//	const AccountContacts zohohub.RelatedList[Account, Contact] = "Contacts"
//
// A related list whose records' module has no Go type, or that mixes
// modules (Activities), lists them as *AnyRecord:
//
//	const AccountActivities zohohub.RelatedList[Account, zohohub.AnyRecord] = "Activities"
//	invoices := zohohub.RelatedList[modules.Account, zohohub.AnyRecord]("Invoices")
type RelatedList[P, R any] string

// relatedSource is where a related query reads: the related list of one
// parent record, or why it cannot.
type relatedSource struct {
	parentModule, parentID, list string
	// linked: the list is a relation Zoho keeps (links.go), whose own
	// fields (a campaign member's Member_Status) the records' type does
	// not map but Select may name.
	linked bool
	err    error
}

// path is the related list's path below the API root.
func (s *relatedSource) path() string {
	return s.parentModule + "/" + s.parentID + "/" + s.list
}

// Related returns a query over the records of parent's related list:
//
//	contacts := zohohub.Related(client, acct, modules.AccountContacts)
//	for c, err := range contacts.OrderBy("Created_Time").All(ctx) { … }
//
// Select, OrderBy (id, Created_Time or Modified_Time, as Zoho sorts
// related records), Limit, Offset (below 2,000), ModifiedSince, Include,
// All, Collect, First and Count work as on any query; All pages with
// page numbers up to 2,000 records and page_token beyond. Zoho's related
// records API takes no conditions, so Where is refused: query the related
// module with a condition on its lookup instead (Contacts where
// Account_Name equals the account's id). On a list Zoho links (see Link),
// Select may also name the relation's own fields, such as a campaign
// member's Member_Status, which come unasked anyway: read them with Get.
//
// When R is AnyRecord, Select takes any field API name, and a query
// without Select reads Model's fields only (id, Owner, the times and
// their users), as RecordsOf does; read the others with Get or Fields.
// Such records name the list, not their module, as theirs: save them
// through RecordsOf with their module.
func Related[P, R any](c *Client, parent *P, list RelatedList[P, R]) Query[R] {
	q := relatedRecordSet[R](c, string(list)).Query()
	src := &relatedSource{list: string(list)}
	q.related = src
	if !validAPIName(string(list)) {
		src.err = fmt.Errorf("zohohub: Related: %q is not a related list API name", list)
		return q
	}
	src.parentModule, src.parentID, src.err = parentOf(c, "Related("+string(list)+")", parent)
	src.linked = slices.Contains(linkedLists(src.parentModule), src.list)
	return q
}

// relatedRecordSet is the record set a related list's records are read
// with: R's, or for AnyRecord one open to any field, named after the list
// (the list does not say which module its records are of).
func relatedRecordSet[R any](c *Client, list string) *RecordSet[R] {
	if _, open := any((*R)(nil)).(*AnyRecord); open {
		return any(RecordsOf(c, list)).(*RecordSet[R])
	}
	return Records[R](c)
}

// parentOf returns the module and id of parent, a record of type P that
// notes, attachments or related records are read or written through.
func parentOf[P any](c *Client, op string, parent *P) (module, id string, err error) {
	rs := Records[P](c)
	switch {
	case rs.check() != nil:
		return "", "", fmt.Errorf("zohohub: %s: parent %w", op, rs.check())
	case parent == nil:
		return "", "", fmt.Errorf("zohohub: %s: nil parent record", op)
	}
	module, id = rs.module(), rs.model(parent).ID
	if err := checkID(op, module, id); err != nil {
		return "", "", err
	}
	return module, id, nil
}

// relatedSorts are the fields Zoho sorts related records by.
var relatedSorts = []string{"id", "Created_Time", "Modified_Time"}

// relatedPlan is the plan of a query over a related list: a list of its
// path, by page then page_token, as GET {module} is.
func (q Query[T]) relatedPlan() (Plan, error) {
	src := q.related
	if src.err != nil {
		return Plan{}, src.err
	}
	if err := q.rs.check(); err != nil {
		return Plan{}, err
	}
	fields, err := q.selected()
	if err != nil {
		return Plan{}, err
	}
	switch {
	case len(q.conds) > 0:
		return Plan{}, fmt.Errorf("zohohub: Where on the related list %s: Zoho's related records API takes no conditions; query %s with a condition on its lookup to %s instead",
			src.path(), q.rs.module(), src.parentModule)
	case len(q.order) > 1 || len(q.order) == 1 && !slices.Contains(relatedSorts, q.order[0].field):
		return Plan{}, fmt.Errorf("zohohub: OrderBy on the related list %s: Zoho sorts related records by one of %s only", src.path(), strings.Join(relatedSorts, ", "))
	case q.offset >= pageWindow:
		return Plan{}, fmt.Errorf("zohohub: Offset %d on the related list %s: page numbers reach the first %d records", q.offset, src.path(), pageWindow)
	}
	v := url.Values{"fields": {strings.Join(fields, ",")}, "per_page": {strconv.Itoa(pageSize)}}
	if len(q.order) == 1 {
		v.Set("sort_by", q.order[0].field)
		v.Set("sort_order", map[bool]string{false: "asc", true: "desc"}[q.order[0].desc])
	}
	return Plan{Kind: PlanList, Method: http.MethodGet, Path: src.path(), Query: v,
		Reason: "related records of " + src.parentModule + " " + src.parentID + ": by page then page_token"}, nil
}
