package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// Linking and unlinking records through a related list: the many-to-many
// relations Zoho keeps apart from lookup fields (PUT and DELETE
// {module}/{id}/{related_list}, spec/oas/related_records.json). A related
// list that shows the records whose lookup points to the parent (an
// account's Contacts) is changed by setting that lookup instead.

// The actions of Link and Unlink in their results.
const (
	ActionLinked   Action = "linked"
	ActionUnlinked Action = "unlinked"
)

// Relation is a record to link into a related list: its id, and the values
// of the relation's own fields, such as a campaign member's Member_Status.
type Relation struct {
	ID     string
	Fields map[string]any
}

// linkedLists returns the related lists of module that Zoho links and
// unlinks records in: Campaigns with Leads and Contacts, Products with
// Leads, Accounts, Contacts, Deals and Price Books, Appointments with
// Services, from either side (Zoho's Update Related Records page, v7+).
func linkedLists(module string) []string {
	switch module {
	case "Campaigns":
		return []string{"Leads", "Contacts"}
	case "Leads", "Contacts":
		return []string{"Campaigns", "Products"}
	case "Products":
		return []string{"Leads", "Accounts", "Contacts", "Deals", "Price_Books"}
	case "Accounts", "Deals", "Price_Books":
		return []string{"Products"}
	case "Appointments__s":
		return []string{"Services__s"}
	case "Services__s":
		return []string{"Appointments__s"}
	}
	return nil
}

// checkLinkable refuses a relation Zoho does not link, naming it.
func checkLinkable(op, module, list string) error {
	lists := linkedLists(module)
	if slices.Contains(lists, list) {
		return nil
	}
	why := module + " links no related list"
	if len(lists) > 0 {
		why = module + " links only " + strings.Join(lists, ", ")
	}
	return fmt.Errorf("zohohub: %s: Zoho does not link %s with %s through a related list (%s); for a list of records that look up to the parent, set their lookup field instead; nothing was sent",
		op, module, list, why)
}

// Link links records into parent's related list (PUT
// {module}/{id}/{list}), with the relation's own fields each Relation
// gives, 100 a request, concurrently. A relation Zoho does not link is
// refused before any request, naming it: Zoho links Campaigns with Leads
// and Contacts, Products with Leads, Accounts, Contacts, Deals and Price
// Books, and Appointments with Services. The result has one entry per
// relation, ActionLinked, or ActionFailed with Zoho's error, or
// ActionUnknown as SaveAll reports it; when some are not linked the error
// is a *BatchError and the others are linked.
func Link[P, R any](ctx context.Context, c *Client, parent *P, list RelatedList[P, R], rels ...Relation) (BatchResult, error) {
	module, id, err := parentOf(c, "Link", parent)
	if err != nil {
		return BatchResult{}, err
	}
	if err := checkLinkable("Link", module, string(list)); err != nil {
		return BatchResult{}, err
	}
	objs := make([]json.RawMessage, len(rels))
	ids := make([]string, len(rels))
	for i, r := range rels {
		if err := checkID("Link", string(list), r.ID); err != nil {
			return BatchResult{}, fmt.Errorf("%w (relation %d); nothing was sent", err, i)
		}
		obj := map[string]any{"id": r.ID}
		for k, v := range r.Fields {
			if !validAPIName(k) || k == "id" {
				return BatchResult{}, fmt.Errorf("zohohub: Link: relation %d: %q is not a relation field; nothing was sent", i, k)
			}
			obj[k] = v
		}
		b, err := json.Marshal(obj)
		if err != nil {
			return BatchResult{}, fmt.Errorf("zohohub: Link: relation %d: %w; nothing was sent", i, err)
		}
		objs[i], ids[i] = b, r.ID
	}
	path := module + "/" + id + "/" + string(list)
	return onIDs[R](ctx, c, "Link", ids, objs, maxRecordsPerWrite, ActionLinked, func(_ []string, objs []json.RawMessage) *Request {
		return &Request{Method: http.MethodPut, Path: path, Body: map[string]any{"data": objs}}
	})
}

// Unlink removes records from parent's related list (DELETE
// {module}/{id}/{list}?ids=…), 100 a request, concurrently; the records
// themselves stay. Refusals, results and errors are as Link's.
func Unlink[P, R any](ctx context.Context, c *Client, parent *P, list RelatedList[P, R], ids ...string) (BatchResult, error) {
	module, id, err := parentOf(c, "Unlink", parent)
	if err != nil {
		return BatchResult{}, err
	}
	if err := checkLinkable("Unlink", module, string(list)); err != nil {
		return BatchResult{}, err
	}
	for i, rid := range ids {
		if err := checkID("Unlink", string(list), rid); err != nil {
			return BatchResult{}, fmt.Errorf("%w (relation %d); nothing was sent", err, i)
		}
	}
	path := module + "/" + id + "/" + string(list)
	return onIDs[R](ctx, c, "Unlink", ids, nil, maxRecordsPerWrite, ActionUnlinked, func(ids []string, _ []json.RawMessage) *Request {
		return &Request{Method: http.MethodDelete, Path: path, Query: url.Values{"ids": {strings.Join(ids, ",")}}}
	})
}

// onIDs writes to records of R named by ids (objs, when not nil, is the
// body item of each), per ids a request, concurrently, through the batch
// machinery of SaveAll and DeleteAll: per-record results, a refusal of
// all of them read record by record, outcomes Zoho may have applied
// reported unknown. A record the request wrote gets the action done; a
// success about another record than the one at its place is an unknown
// outcome (ErrBadResponse).
func onIDs[R any](ctx context.Context, c *Client, op string, ids []string, objs []json.RawMessage, per int, done Action,
	request func(ids []string, objs []json.RawMessage) *Request) (BatchResult, error) {
	rs := Records[R](c)
	if err := rs.check(); err != nil {
		return BatchResult{}, err
	}
	res := BatchResult{Results: make([]RecordResult, len(ids))}
	writes := make([]pendingWrite[R], len(ids))
	for i, id := range ids {
		rec := new(R)
		m := rs.model(rec)
		m.ID = id
		m.bind(rs.info, rec)
		res.Results[i] = RecordResult{Index: i, ID: id}
		writes[i] = pendingWrite[R]{index: i, rec: rec, m: m}
		if objs != nil {
			writes[i].obj = objs[i]
		}
	}
	chunks := slices.Collect(slices.Chunk(writes, per))
	reqs := make([]*Request, len(chunks)) // each goroutine sets its own
	c.runConcurrently(len(chunks), func(k int) {
		chunk := chunks[k]
		cids := make([]string, len(chunk))
		cobjs := make([]json.RawMessage, len(chunk))
		for j, w := range chunk {
			cids[j], cobjs[j] = w.m.ID, w.obj
		}
		reqs[k] = request(cids, cobjs)
		rs.sendChunk(ctx, &res, reqs[k], chunk)
	})
	for i := range res.Results {
		rr := &res.Results[i]
		switch rr.Action {
		case ActionUpdated, ActionDeleted, ActionCreated:
			rr.Action = done
			if rr.ID != ids[i] {
				req := reqs[i/per]
				bad := badResponse(0, req.Method, req.Path, nil, fmt.Sprintf("success for record %s, but record %s was sent", quoteShort(rr.ID), ids[i]))
				bad.Index = i
				rr.ID, rr.Action = ids[i], ActionUnknown
				rr.Err = &OutcomeUnknownError{Index: i, Position: i % per, Method: req.Method, Path: req.Path, Err: bad}
			}
		}
	}
	return res, rs.batchError(op, res)
}
