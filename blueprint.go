package zohohub

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
)

// Blueprints (GET and PUT {module}/{id}/actions/blueprint,
// spec/oas/blueprint.json, docs/wire.md §12.2): a Zoho Blueprint drives a
// picklist of a module's records (a lead's Lead_Status, a deal's Stage)
// from state to state through transitions, each asking for fields, some
// required. While a record is in a blueprint, Zoho refuses to change that
// picklist outside a transition (ErrRecordInBlueprint).

// Blueprint is where a record stands in the blueprint it is in.
type Blueprint struct {
	// Process is the blueprint's name.
	Process string
	// Field is the API name of the picklist the blueprint drives.
	Field string
	// State is the record's state: the value of Field.
	State string
	// Transitions are the transitions available to the record now.
	Transitions []Transition
}

// Transition is a move of a record from its state to another, as Zoho
// offers it: give it to Advance to perform it.
type Transition struct {
	// ID is Zoho's id of the transition.
	ID string
	// Name is the transition's name, as Zoho shows it on its button.
	Name string
	// To is the state the transition leads to.
	To string
	// Fields are the fields the transition asks for, in Zoho's order.
	Fields []TransitionField

	field string // the blueprint's Field, which the transition sets to To
}

// TransitionField is a field a transition asks for.
type TransitionField struct {
	// APIName is the field's API name.
	APIName string
	// Label is the field's label.
	Label string
	// DataType is Zoho's data_type of the field.
	DataType string
	// Required reports that the transition cannot be done without a
	// value for the field.
	Required bool
}

// blueprintAnswer is GET …/actions/blueprint's answer.
type blueprintAnswer struct {
	Blueprint struct {
		ProcessInfo struct {
			Name       string `json:"name"`
			APIName    string `json:"api_name"`
			FieldValue string `json:"field_value"`
		} `json:"process_info"`
		Transitions []struct {
			ID             string `json:"id"`
			Name           string `json:"name"`
			NextFieldValue string `json:"next_field_value"`
			Fields         []struct {
				APIName      string `json:"api_name"`
				DisplayLabel string `json:"display_label"`
				FieldLabel   string `json:"field_label"`
				DataType     string `json:"data_type"`
				Mandatory    bool   `json:"mandatory"`
			} `json:"fields"`
		} `json:"transitions"`
	} `json:"blueprint"`
}

// BlueprintOf reads where rec stands in its blueprint: its state and the
// transitions available to it, with the fields each asks for (GET
// {module}/{id}/actions/blueprint). A record in no blueprint is an error
// matching ErrNotInBlueprint.
func BlueprintOf[T any](ctx context.Context, c *Client, rec *T) (*Blueprint, error) {
	module, id, err := parentOf(c, "BlueprintOf", rec)
	if err != nil {
		return nil, err
	}
	path := module + "/" + id + "/actions/blueprint"
	resp, release, err := c.do(ctx, &Request{Method: http.MethodGet, Path: path})
	defer release()
	if err != nil {
		return nil, err
	}
	if e := errorIn(resp, http.MethodGet, path); e != nil {
		return nil, e
	}
	var a blueprintAnswer
	if err := json.Unmarshal(resp.Body, &a); err != nil {
		return nil, badResponse(resp.StatusCode, http.MethodGet, path, nil, "decoding the blueprint: "+err.Error())
	}
	info := a.Blueprint.ProcessInfo
	if !validAPIName(info.APIName) {
		return nil, badResponse(resp.StatusCode, http.MethodGet, path, nil, "the blueprint names no field it drives")
	}
	bp := &Blueprint{Process: info.Name, Field: info.APIName, State: info.FieldValue}
	for _, t := range a.Blueprint.Transitions {
		if !validID(t.ID) {
			return nil, badResponse(resp.StatusCode, http.MethodGet, path, nil, "transition "+quoteShort(t.Name)+" has the id "+quoteShort(t.ID))
		}
		tr := Transition{ID: t.ID, Name: t.Name, To: t.NextFieldValue, field: info.APIName}
		for _, f := range t.Fields {
			label := f.DisplayLabel
			if label == "" {
				label = f.FieldLabel
			}
			tr.Fields = append(tr.Fields, TransitionField{APIName: f.APIName, Label: label, DataType: f.DataType, Required: f.Mandatory})
		}
		bp.Transitions = append(bp.Transitions, tr)
	}
	return bp, nil
}

// errorIn returns the Zoho error a 2xx answer holds at its top level
// ({"code","status":"error",…}), as blueprint.json files its errors under
// 200, or nil.
func errorIn(resp *Response, method, path string) *APIError {
	var env errorEnvelope
	if json.Unmarshal(resp.Body, &env) != nil || env.Status != "error" {
		return nil
	}
	return env.apiError(resp.StatusCode, method, path, -1)
}

// Transition returns the transition available to the record that is named
// nameOrState, or else the one that leads to the state nameOrState. It is
// an error, listing the transitions available, when none is, or when
// several lead to that state.
func (b *Blueprint) Transition(nameOrState string) (Transition, error) {
	var to []Transition
	for _, t := range b.Transitions {
		if t.Name == nameOrState {
			return t, nil
		}
		if t.To == nameOrState {
			to = append(to, t)
		}
	}
	if len(to) == 1 {
		return to[0], nil
	}
	offered := make([]string, len(b.Transitions))
	for i, t := range b.Transitions {
		offered[i] = fmt.Sprintf("%q → %q", t.Name, t.To)
	}
	why := "none is named so or leads there"
	if len(to) > 1 {
		why = fmt.Sprintf("%d lead there; choose one by name", len(to))
	}
	return Transition{}, fmt.Errorf("zohohub: blueprint %q in state %q: no transition %q (%s); available: %s",
		b.Process, b.State, nameOrState, why, strings.Join(offered, ", "))
}

// Advance performs transition t on rec (PUT {module}/{id}/actions/blueprint)
// with, as the transition's data, the fields t asks for that rec changed
// since it was read or saved (and those given to Set): set the fields the
// transition needs on rec, then advance it. rec's other changes are not
// sent and stay for a later Save. Afterwards rec holds the new state in
// the blueprint's field, and what was sent as saved.
//
// t comes from BlueprintOf (Blueprint.Transition), so that no id is
// hard-coded. A required field without a value is refused by Zoho as
// MANDATORY_NOT_FOUND naming it; a transition not available in the
// record's state as INVALID_DATA.
func Advance[T any](ctx context.Context, c *Client, rec *T, t Transition) error {
	rs := Records[T](c)
	m, err := rs.prepare("Advance", rec)
	if err != nil {
		return err
	}
	if err := checkID("Advance", rs.info.module, m.ID); err != nil {
		return err
	}
	if !validID(t.ID) || t.field == "" {
		return fmt.Errorf("zohohub: Advance %s %s: the transition %q was not read with BlueprintOf; nothing was sent", rs.info.module, m.ID, t.Name)
	}
	asked := map[string]bool{}
	for _, f := range t.Fields {
		asked[f.APIName] = true
	}
	data, sent, err := rs.transitionData(rec, m, asked)
	if err != nil {
		return err
	}
	path := rs.info.module + "/" + m.ID + "/actions/blueprint"
	body := map[string]any{"blueprint": []any{map[string]any{"transition_id": t.ID, "data": data}}}
	resp, release, err := c.do(ctx, &Request{Method: http.MethodPut, Path: path, Body: body})
	defer release()
	if err != nil {
		return err
	}
	if e := errorIn(resp, http.MethodPut, path); e != nil {
		return e
	}
	return rs.advanced(rec, m, sent, t)
}

// transitionData is the data of a transition on rec: the fields asked that
// changed since the snapshot, and the unmapped ones given to Set, with the
// API names sent.
func (rs *RecordSet[T]) transitionData(rec *T, m *Model, asked map[string]bool) (json.RawMessage, []string, error) {
	cur := reflect.ValueOf(rec).Elem()
	old := reflect.New(rs.info.typ).Elem()
	if len(m.snap) > 0 {
		if err := rs.info.decodeInto(old, m.snap); err != nil {
			return nil, nil, fmt.Errorf("zohohub: %s record %s: reading snapshot: %w", rs.info.module, m.ID, err)
		}
	}
	var sent []string
	include := func(f *fieldInfo) bool {
		if f == rs.info.idField || !asked[f.apiName] || !f.changed(cur.FieldByIndex(f.index), old.FieldByIndex(f.index)) {
			return false
		}
		sent = append(sent, f.apiName)
		return true
	}
	b, err := rs.info.encodeObject(nil, cur, encodeFull, include)
	if err != nil {
		return nil, nil, fmt.Errorf("zohohub: %s record %s: %w", rs.info.module, m.ID, err)
	}
	for _, k := range slices.Sorted(maps.Keys(m.set)) {
		if !asked[k] {
			continue
		}
		if len(b) > 2 {
			b = append(b[:len(b)-1], ',')
		} else {
			b = b[:len(b)-1]
		}
		b = append(appendQuoted(b, k), ':')
		b = append(append(b, m.set[k]...), '}')
		sent = append(sent, k)
	}
	return b, sent, nil
}

// advanced records a transition done on rec: the blueprint's field holds
// the new state, and the fields sent are saved; rec's other changes stay
// unsaved.
func (rs *RecordSet[T]) advanced(rec *T, m *Model, sent []string, t Transition) error {
	cur := reflect.ValueOf(rec).Elem()
	base := reflect.New(rs.info.typ).Elem() // the snapshot, with what Zoho now holds
	if len(m.snap) > 0 {
		if err := rs.info.decodeInto(base, m.snap); err != nil {
			return err
		}
	}
	if m.extraInSnap {
		m.keepUnmapped(nil)
	}
	state, err := json.Marshal(map[string]string{t.field: t.To})
	if err != nil {
		return err
	}
	for _, v := range []reflect.Value{cur, base} {
		if err := rs.info.decodeInto(v, state); err != nil {
			return fmt.Errorf("zohohub: Advance %s record %s: setting %s: %w", rs.info.module, m.ID, t.field, err)
		}
	}
	extra, set := maps.Clone(m.extra), maps.Clone(m.set)
	if rs.info.byName[t.field] == nil {
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[t.field], _ = json.Marshal(t.To)
	}
	for _, name := range sent {
		if f := rs.info.byName[name]; f != nil {
			base.FieldByIndex(f.index).Set(cur.FieldByIndex(f.index))
			continue
		}
		if extra == nil {
			extra = map[string]json.RawMessage{}
		}
		extra[name] = set[name]
		delete(set, name)
	}
	snap, err := rs.info.encodeObject(nil, base, encodeSnapshot, nil)
	if err != nil {
		return err
	}
	m.extra, m.set, m.snap = extra, set, snap
	return nil
}
