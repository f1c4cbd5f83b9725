package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// Changing the owner of records (docs/wire.md §12.6): POST
// {module}/{id}/actions/change_owner for one record, POST
// {module}/actions/change_owner for many, 500 ids a request.

// ChangeOwnerOption adds to a change of owner.
type ChangeOwnerOption func(*changeOwnerBody)

type changeOwnerBody struct {
	IDs            []string     `json:"ids,omitempty"`
	Owner          apiIDRef     `json:"owner"`
	Notify         bool         `json:"notify,omitempty"`
	RelatedModules []apiNameRef `json:"related_modules,omitempty"`
}

type apiIDRef struct {
	ID string `json:"id"`
}

// NotifyNewOwner has Zoho mail the new owner about the records.
func NotifyNewOwner() ChangeOwnerOption {
	return func(b *changeOwnerBody) { b.Notify = true }
}

// RelatedModules hands the new owner the records' activities of these
// modules too: Tasks, Events and Calls whose What_Id or Who_Id is one of
// the records. Without it, they keep their owners.
func RelatedModules(modules ...string) ChangeOwnerOption {
	return func(b *changeOwnerBody) {
		for _, m := range modules {
			b.RelatedModules = append(b.RelatedModules, apiNameRef{APIName: m})
		}
	}
}

// ownerBody checks the owner and the options and builds the body.
func (rs *RecordSet[T]) ownerBody(op, owner string, opts []ChangeOwnerOption) (changeOwnerBody, error) {
	if err := checkID(op, rs.info.module, owner); err != nil {
		return changeOwnerBody{}, fmt.Errorf("%w (the owner's user id); nothing was sent", err)
	}
	b := changeOwnerBody{Owner: apiIDRef{ID: owner}}
	for _, o := range opts {
		o(&b)
	}
	for _, m := range b.RelatedModules {
		if !validAPIName(m.APIName) {
			return changeOwnerBody{}, fmt.Errorf("zohohub: %s %s: related module %s is not a module API name; nothing was sent", op, rs.info.module, quoteShort(m.APIName))
		}
	}
	return b, nil
}

// ChangeOwner makes the user owner (a user id, as settings.Users lists
// them) the owner of rec. A user Zoho does not know is refused with its
// INVALID_DATA; a record that no longer exists is an error matching
// ErrNotFound. rec itself is left as it was read: Find it again to see its
// new Owner.
func (rs *RecordSet[T]) ChangeOwner(ctx context.Context, rec *T, owner string, opts ...ChangeOwnerOption) error {
	m, err := rs.actionRecord("ChangeOwner", rec)
	if err != nil {
		return err
	}
	b, err := rs.ownerBody("ChangeOwner", owner, opts)
	if err != nil {
		return err
	}
	_, err = rs.actOne(ctx, rs.info.module+"/"+m.ID+"/actions/change_owner", b, m.ID)
	return err
}

// ChangeOwnerAll makes owner the owner of the records ids names, 500 ids
// a request, concurrently. The result has one entry per id:
// ActionUpdated, or ActionFailed with Zoho's error (an unknown owner fails
// every record with Zoho's INVALID_DATA), or ActionUnknown as SaveAll
// reports it; when some fail the error is a *BatchError and the others
// have their new owner.
func (rs *RecordSet[T]) ChangeOwnerAll(ctx context.Context, ids []string, owner string, opts ...ChangeOwnerOption) (BatchResult, error) {
	if err := rs.check(); err != nil {
		return BatchResult{}, err
	}
	b, err := rs.ownerBody("ChangeOwnerAll", owner, opts)
	if err != nil {
		return BatchResult{}, err
	}
	if err := checkActionIDs("ChangeOwnerAll", rs.info.module, ids); err != nil {
		return BatchResult{}, err
	}
	path := rs.info.module + "/actions/change_owner"
	return onIDs[T](ctx, rs.c, "ChangeOwnerAll", ids, nil, maxIDsPerAction, ActionUpdated, func(ids []string, _ []json.RawMessage) *Request {
		body := b
		body.IDs = ids
		return &Request{Method: http.MethodPost, Path: path, Body: body}
	})
}

// ChangeOwnerView schedules a change of owner of the records of the custom
// view cvid (such as the module's "All" view from settings.CustomViews),
// narrowed by cond when given (Bulk Read's criteria, as MassUpdateWhere
// takes): Zoho gives them all the owner owner in the background, up to
// 50,000 records, with POST {module}/actions/mass_change_owner. Their
// activities keep their owners. Wait for the job with MassUpdateJob.Wait;
// ChangeOwnerJob finds it again by its id.
func (rs *RecordSet[T]) ChangeOwnerView(ctx context.Context, cvid, owner string, cond ...Condition) (*MassUpdateJob, error) {
	const op = "ChangeOwnerView"
	if err := rs.check(); err != nil {
		return nil, err
	}
	if err := checkID(op, rs.info.module, owner); err != nil {
		return nil, fmt.Errorf("%w (the owner's user id); nothing was sent", err)
	}
	if cvid == "" {
		return nil, fmt.Errorf("zohohub: %s %s: no custom view id; nothing was sent", op, rs.info.module)
	}
	var where *Condition
	if len(cond) > 0 {
		c := And(cond...)
		where = &c
	}
	return rs.scheduleJob(ctx, op, actionMassChangeOwner, map[string]any{"owner": apiIDRef{ID: owner}}, cvid, where)
}

// ChangeOwnerJob returns the module's mass change-of-owner job id,
// scheduled earlier by ChangeOwnerView (in this process or another), to
// ask its state. Nothing is sent.
func (rs *RecordSet[T]) ChangeOwnerJob(id string) (*MassUpdateJob, error) {
	if err := rs.check(); err != nil {
		return nil, err
	}
	if err := checkID("ChangeOwnerJob", rs.info.module, id); err != nil {
		return nil, err
	}
	return &MassUpdateJob{ID: id, Module: rs.info.module, action: actionMassChangeOwner, c: rs.c}, nil
}
