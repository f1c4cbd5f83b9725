package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
)

// Converting a lead (POST Leads/{id}/actions/convert,
// spec/oas/convert_lead.json, docs/wire.md §12.1): the lead becomes a
// contact, its company an account (Zoho joins an existing contact or
// account that matches instead of duplicating it), and, when asked, a deal
// is created with them.

// ConvertOptions says what converting a lead makes and moves. The zero
// value converts into a contact and an account, as Zoho matches or creates
// them, without a deal.
type ConvertOptions struct {
	// Deal, when not nil, is the deal to create with the contact and
	// account: a pointer to a record of Deals with its fields set, such as
	// &modules.Deal{DealName: …, Stage: …, ClosingDate: …} (Zoho requires
	// those three). Its ID and snapshot are set from Zoho's answer.
	Deal any
	// AccountID and ContactID name an existing account and contact to
	// convert into, instead of those Zoho matches or creates.
	AccountID, ContactID string
	// Overwrite lets the conversion change existing records: the account
	// AccountID names takes the lead's company as its name, and a contact
	// of another account moves to the lead's.
	Overwrite bool
	// NotifyLeadOwner and NotifyNewEntityOwner ask Zoho to email the
	// lead's owner and the owner of the new records.
	NotifyLeadOwner, NotifyNewEntityOwner bool
	// AssignTo is the id of the user who owns the new records (by
	// default, the lead's owner).
	AssignTo string
	// MoveAttachmentsTo is the module, "Contacts", "Accounts" or "Deals",
	// whose record gets the lead's attachments (by default the contact).
	MoveAttachmentsTo string
	// TagsToContact, TagsToAccount and TagsToDeal name tags of the lead to
	// carry over to the contact, the account and the deal.
	TagsToContact, TagsToAccount, TagsToDeal []string
}

// Conversion is what a lead was converted into: the id and name of its
// contact, of its account (zero when the lead had no company) and of its
// deal (zero when none was asked for).
type Conversion struct {
	Contact, Account, Deal Lookup
}

// convertItem is the one element of a conversion's data.
type convertItem struct {
	Overwrite            bool                `json:"overwrite"`
	NotifyLeadOwner      bool                `json:"notify_lead_owner"`
	NotifyNewEntityOwner bool                `json:"notify_new_entity_owner"`
	Accounts             *Lookup             `json:"Accounts,omitempty"`
	Contacts             *Lookup             `json:"Contacts,omitempty"`
	AssignTo             *Lookup             `json:"assign_to,omitempty"`
	Deals                json.RawMessage     `json:"Deals,omitempty"`
	MoveAttachmentsTo    map[string]string   `json:"move_attachments_to,omitempty"`
	CarryOverTags        map[string][]string `json:"carry_over_tags,omitempty"`
}

// Convert converts lead, a record of Leads, as opts asks (POST
// Leads/{id}/actions/convert) and returns the records it became. Options
// that cannot be right (an id that is not one, a module attachments cannot
// move to, a deal that is not a record of Deals) are refused before
// anything is sent. Zoho's refusals are *APIError: a lead converted before
// matches ErrAlreadyConverted, a unique value another record holds
// ErrDuplicateData, a deal stage outside its pipeline ErrMappingMismatch,
// and a missing field of the deal is MANDATORY_NOT_FOUND naming it.
// Afterwards Zoho lists the lead only when asked for converted leads, and
// refuses to update it.
func Convert[L any](ctx context.Context, c *Client, lead *L, opts ConvertOptions) (Conversion, error) {
	module, id, err := parentOf(c, "Convert", lead)
	if err != nil {
		return Conversion{}, err
	}
	if module != "Leads" {
		return Conversion{}, fmt.Errorf("zohohub: Convert: %T is a record of %s; Zoho converts leads only", *lead, module)
	}
	item, deal, err := opts.item(c)
	if err != nil {
		return Conversion{}, fmt.Errorf("zohohub: Convert: %w; nothing was sent", err)
	}
	path := "Leads/" + id + "/actions/convert"
	resp, release, err := c.do(ctx, &Request{Method: http.MethodPost, Path: path, Body: map[string]any{"data": []convertItem{item}}})
	defer release()
	if err != nil {
		return Conversion{}, err
	}
	results, err := parseWriteResults(resp, http.MethodPost, path, 1)
	if err != nil {
		return Conversion{}, err
	}
	if results[0].failed() {
		return Conversion{}, results[0].apiError(resp.StatusCode, http.MethodPost, path, -1)
	}
	var got struct{ Contacts, Accounts, Deals *Lookup }
	if err := json.Unmarshal(results[0].Details, &got); err != nil {
		return Conversion{}, badResponse(resp.StatusCode, http.MethodPost, path, nil, "decoding the conversion's details: "+err.Error())
	}
	var conv Conversion
	for _, r := range []struct {
		name string
		got  *Lookup
		want bool // the answer must name a record
		dst  *Lookup
	}{{"Contacts", got.Contacts, true, &conv.Contact}, {"Accounts", got.Accounts, false, &conv.Account}, {"Deals", got.Deals, deal != nil, &conv.Deal}} {
		switch {
		case r.got == nil && r.want:
			return Conversion{}, badResponse(resp.StatusCode, http.MethodPost, path, nil, "the conversion's answer names no "+r.name+" record")
		case r.got != nil && !validID(r.got.ID):
			return Conversion{}, badResponse(resp.StatusCode, http.MethodPost, path, nil, "the conversion's "+r.name+" id "+quoteShort(r.got.ID)+" is not a record id")
		case r.got != nil:
			*r.dst = *r.got
		}
	}
	if deal != nil {
		if err := deal.created(conv.Deal.ID); err != nil {
			return conv, err
		}
	}
	return conv, nil
}

// item is the body element of a conversion, checked, and the deal to
// create (nil for none).
func (o ConvertOptions) item(c *Client) (convertItem, *newRecord, error) {
	item := convertItem{Overwrite: o.Overwrite, NotifyLeadOwner: o.NotifyLeadOwner, NotifyNewEntityOwner: o.NotifyNewEntityOwner}
	for _, ref := range []struct {
		what, id string
		dst      **Lookup
	}{{"AccountID", o.AccountID, &item.Accounts}, {"ContactID", o.ContactID, &item.Contacts}, {"AssignTo", o.AssignTo, &item.AssignTo}} {
		if ref.id == "" {
			continue
		}
		if !validID(ref.id) {
			return item, nil, fmt.Errorf("%s %s is not an id", ref.what, quoteShort(ref.id))
		}
		*ref.dst = &Lookup{ID: ref.id}
	}
	var deal *newRecord
	if o.Deal != nil {
		var err error
		if deal, err = newRecordOf(c, o.Deal, "Deals"); err != nil {
			return item, nil, fmt.Errorf("Deal: %w", err)
		}
		item.Deals = deal.obj
	}
	switch o.MoveAttachmentsTo {
	case "":
	case "Contacts", "Accounts", "Deals":
		if o.MoveAttachmentsTo == "Deals" && deal == nil {
			return item, nil, fmt.Errorf("MoveAttachmentsTo Deals without a Deal")
		}
		item.MoveAttachmentsTo = map[string]string{"api_name": o.MoveAttachmentsTo}
	default:
		return item, nil, fmt.Errorf("MoveAttachmentsTo %s: attachments move to Contacts, Accounts or Deals", quoteShort(o.MoveAttachmentsTo))
	}
	for module, tags := range map[string][]string{"Contacts": o.TagsToContact, "Accounts": o.TagsToAccount, "Deals": o.TagsToDeal} {
		if len(tags) == 0 {
			continue
		}
		if slices.Contains(tags, "") {
			return item, nil, fmt.Errorf("an empty tag name to carry over to %s", module)
		}
		if item.CarryOverTags == nil {
			item.CarryOverTags = map[string][]string{}
		}
		item.CarryOverTags[module] = tags
	}
	return item, deal, nil
}

// newRecord is a record given as any (a pointer to a record type) that a
// request creates: its insert object, and how to record its creation.
type newRecord struct {
	obj  json.RawMessage
	rv   reflect.Value // the struct
	info *typeInfo
	m    *Model
}

// newRecordOf checks that v is a pointer to a new record of module and
// encodes it as Save would insert it.
func newRecordOf(c *Client, v any, module string) (*newRecord, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || rv.Elem().Kind() != reflect.Struct {
		return nil, fmt.Errorf("%T is not a pointer to a record", v)
	}
	info, err := c.recordType(rv.Type().Elem())
	if err != nil {
		return nil, err
	}
	if info.module != module {
		return nil, fmt.Errorf("%T is a record of %s, not of %s", v, info.module, module)
	}
	m := rv.Elem().FieldByIndex(info.modelIndex).Addr().Interface().(*Model)
	if !m.IsNew() {
		return nil, fmt.Errorf("the %s record already has the id %s", module, m.ID)
	}
	m.bind(info, v)
	if err := m.applyPending(); err != nil {
		return nil, err
	}
	obj, err := info.encodeObject(nil, rv.Elem(), encodeInsert, nil)
	if err != nil {
		return nil, err
	}
	return &newRecord{obj: appendSet(obj, m), rv: rv.Elem(), info: info, m: m}, nil
}

// created records that the record was created with the id Zoho answered:
// its ID is set and what was sent is its snapshot.
func (r *newRecord) created(id string) error {
	r.m.ID = id
	snap, err := r.info.encodeObject(nil, r.rv, encodeSnapshot, nil)
	if err != nil {
		return err
	}
	r.m.saved(snap)
	return nil
}

// ConversionMatches are the existing records a conversion of a lead would
// join instead of creating new ones, by module: the ids of the matching
// contacts, accounts and deals.
type ConversionMatches struct {
	// Preferred is the module whose match is closest, "Contacts" or
	// "Accounts", or "" when nothing matches.
	Preferred string
	// Contacts, Accounts and Deals are the ids of the matching records.
	Contacts, Accounts, Deals []string
}

// ConversionOptions asks Zoho which existing records a conversion of lead
// would join (GET Leads/{id}/__conversion_options), so that they can be
// reviewed, or given to Convert as ConvertOptions.AccountID and ContactID.
// Nothing matching is the zero ConversionMatches.
func ConversionOptions[L any](ctx context.Context, c *Client, lead *L) (ConversionMatches, error) {
	module, id, err := parentOf(c, "ConversionOptions", lead)
	if err != nil {
		return ConversionMatches{}, err
	}
	if module != "Leads" {
		return ConversionMatches{}, fmt.Errorf("zohohub: ConversionOptions: %T is a record of %s; Zoho converts leads only", *lead, module)
	}
	path := "Leads/" + id + "/__conversion_options"
	resp, release, err := c.do(ctx, &Request{Method: http.MethodGet, Path: path})
	defer release()
	if err != nil || len(resp.Body) == 0 {
		return ConversionMatches{}, err // 204: nothing matches
	}
	var a struct {
		Options struct {
			Preference *struct {
				APIName string `json:"api_name"`
			} `json:"module_preference"`
			Contacts, Accounts, Deals []struct {
				ID string `json:"id"`
			}
		} `json:"__conversion_options"`
	}
	if err := json.Unmarshal(resp.Body, &a); err != nil {
		return ConversionMatches{}, badResponse(resp.StatusCode, http.MethodGet, path, nil, "decoding the conversion options: "+err.Error())
	}
	var out ConversionMatches
	if a.Options.Preference != nil {
		out.Preferred = a.Options.Preference.APIName
	}
	for _, l := range []struct {
		name string
		recs []struct {
			ID string `json:"id"`
		}
		dst *[]string
	}{{"Contacts", a.Options.Contacts, &out.Contacts}, {"Accounts", a.Options.Accounts, &out.Accounts}, {"Deals", a.Options.Deals, &out.Deals}} {
		for _, r := range l.recs {
			if !validID(r.ID) {
				return ConversionMatches{}, badResponse(resp.StatusCode, http.MethodGet, path, nil, "a matching "+l.name+" record has the id "+quoteShort(r.ID))
			}
			*l.dst = append(*l.dst, r.ID)
		}
	}
	return out, nil
}
