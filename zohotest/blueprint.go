package zohotest

import (
	"fmt"
	"io/fs"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/zohohub/zohohub/schema"
)

// Blueprints (GET and PUT /{module}/{id}/actions/blueprint,
// spec/oas/blueprint.json; docs/wire.md §12.2): a process that drives a
// picklist of a module's records from state to state through transitions,
// each asking for fields, some of them required. A record is in the
// process while its picklist holds one of the process's states; such a
// record's picklist changes only through a transition (an update that
// changes it is refused with RECORD_IN_BLUEPRINT).

// Blueprint is a process WithBlueprint runs on a module's records, as
// Zoho's Blueprint does.
type Blueprint struct {
	// Name is the process's name (process_info.name).
	Name string
	// Field is the API name of the picklist whose value is a record's
	// state, such as Lead_Status or Stage.
	Field string
	// Transitions are the moves between states. The states of the process
	// are those the transitions leave from and lead to.
	Transitions []Transition
}

// Transition is a move of a Blueprint's records from one of its From
// states to its To state.
type Transition struct {
	// Name is the transition's name, as Zoho shows it on its button.
	Name string
	// From are the states the transition is available in.
	From []string
	// To is the state the transition leads to.
	To string
	// Fields are the API names of the fields the transition asks for,
	// and Required those it cannot be done without: a value given with
	// the transition or already held by the record. A required field not
	// listed in Fields is asked for too.
	Fields, Required []string
}

// WithBlueprint runs a blueprint on the records of module: GET
// {module}/{id}/actions/blueprint answers a record's state and the
// transitions available to it, PUT performs one (refusing it without its
// required fields), and an update that changes the blueprint's field of a
// record in the process is refused, as Zoho refuses it:
//
//	zohotest.New(t, zohotest.WithBlueprint("Leads", zohotest.Blueprint{
//		Name: "Qualification", Field: "Lead_Status",
//		Transitions: []zohotest.Transition{
//			{Name: "Reach out", From: []string{"Not Contacted"}, To: "Contacted", Required: []string{"Phone"}},
//		},
//	}))
//
// A module runs one blueprint; a second one replaces the first.
func WithBlueprint(module string, bp Blueprint) Option {
	return func(c *config) {
		if c.blueprints == nil {
			c.blueprints = map[string]Blueprint{}
		}
		c.blueprints[module] = bp
	}
}

// process is a Blueprint the server runs: the blueprint with the ids Zoho
// gives its process and transitions, and the layout its fields are on.
type process struct {
	Blueprint
	module      string
	id          string
	field       schema.Field
	transitions []transitionRun
	layout      map[string]any // {name, id} of the module's first layout
}

// transitionRun is a transition of a process, with its id and the fields
// it asks for (Fields, then the Required ones Fields lacks).
type transitionRun struct {
	Transition
	id    string
	asked []string
}

// newProcesses checks the blueprints of the configuration against the
// metadata and gives them ids.
func newProcesses(meta *metadata, bps map[string]Blueprint, newID func() string) (map[string]*process, error) {
	out := map[string]*process{}
	for _, module := range slices.Sorted(maps.Keys(bps)) {
		bp := bps[module]
		fields, ok := meta.fields[module]
		if !ok {
			return nil, fmt.Errorf("zohotest: WithBlueprint: no module %q in the metadata", module)
		}
		f, ok := fields[bp.Field]
		if !ok || f.DataType != "picklist" {
			return nil, fmt.Errorf("zohotest: WithBlueprint: %s has no picklist %q for a blueprint to drive", module, bp.Field)
		}
		p := &process{Blueprint: bp, module: module, id: newID(), field: f, layout: map[string]any{"name": nil, "id": nil}}
		if data, err := fs.ReadFile(meta.fsys, schema.LayoutsFile(module)); err == nil {
			if layouts, err := schema.DecodeLayouts(data); err == nil && len(layouts) > 0 {
				p.layout = map[string]any{"name": layouts[0].Name, "id": layouts[0].ID}
			}
		}
		names := map[string]bool{}
		for _, t := range bp.Transitions {
			switch {
			case t.Name == "" || names[t.Name]:
				return nil, fmt.Errorf("zohotest: WithBlueprint: %s: transitions need distinct names (%q)", module, t.Name)
			case t.To == "" || len(t.From) == 0:
				return nil, fmt.Errorf("zohotest: WithBlueprint: %s: transition %q needs From and To states", module, t.Name)
			}
			names[t.Name] = true
			asked := slices.Clone(t.Fields)
			for _, r := range t.Required {
				if !slices.Contains(asked, r) {
					asked = append(asked, r)
				}
			}
			for _, api := range asked {
				af, ok := fields[api]
				if !ok || af.ReadOnly || api == bp.Field {
					return nil, fmt.Errorf("zohotest: WithBlueprint: %s: transition %q asks for %q, which is not a writable field of the module other than the blueprint's", module, t.Name, api)
				}
			}
			p.transitions = append(p.transitions, transitionRun{Transition: t, id: newID(), asked: asked})
		}
		out[module] = p
	}
	return out, nil
}

// state returns a record's state and whether the record is in the
// process: its field holds a state a transition leaves from or leads to.
func (p *process) state(rec map[string]any) (string, bool) {
	v, _ := rec[p.Field].(string)
	if v == "" {
		return "", false
	}
	for _, t := range p.transitions {
		if t.To == v || slices.Contains(t.From, v) {
			return v, true
		}
	}
	return "", false
}

// available returns the transitions available in state.
func (p *process) available(state string) []transitionRun {
	var out []transitionRun
	for _, t := range p.transitions {
		if slices.Contains(t.From, state) {
			out = append(out, t)
		}
	}
	return out
}

// blueprintRecord returns the record id of module, the process it is in
// and its state; the error is Zoho's when the record does not exist or is
// in no process.
func (s *Server) blueprintRecord(module, id string) (*process, map[string]any, string, *zerr) {
	rec, exists := s.records.get(module, id)
	if !exists {
		return nil, nil, "", newErr(400, "INVALID_DATA", "the id given seems to be invalid", map[string]any{"resource_path_index": 1})
	}
	p := s.processes[module]
	if p == nil {
		return nil, nil, "", errNotInProcess()
	}
	state, in := p.state(rec)
	if !in {
		return nil, nil, "", errNotInProcess()
	}
	return p, rec, state, nil
}

func errNotInProcess() *zerr {
	return newErr(400, "RECORD_NOT_IN_PROCESS", "record not in process", nil)
}

// blueprint answers GET and PUT /{module}/{id}/actions/blueprint.
func (c *call) blueprint() {
	if c.r.Method == http.MethodPut {
		c.transition()
		return
	}
	p, rec, state, zerr := c.s.blueprintRecord(c.moduleName, c.pathID)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	transitions := []any{}
	for _, t := range p.available(state) {
		transitions = append(transitions, c.s.transitionAnswer(p, t, rec))
	}
	f := p.field
	raw := c.s.meta.raw.fields[p.module][f.ID]
	info := map[string]any{"field_id": f.ID, "escalation": nil, "is_continuous": false, "api_name": f.APIName, "continuous": false,
		"field_label": f.FieldLabel, "name": p.Name, "column_name": raw["column_name"], "field_value": state, "id": p.id, "field_name": f.FieldLabel}
	writeJSON(c.w, http.StatusOK, map[string]any{"blueprint": map[string]any{"process_info": info, "transitions": transitions}})
}

// transitionAnswer is a transition as GET …/actions/blueprint shows it:
// its fields described as the fields API describes them, with their place
// in the transition and whether they are required, and the record's
// current values of them.
func (s *Server) transitionAnswer(p *process, t transitionRun, rec map[string]any) map[string]any {
	data := map[string]any{}
	fields := make([]any, 0, len(t.asked))
	for i, api := range t.asked {
		data[api] = s.presentValue(p.module, rec, api)
		f := maps.Clone(s.meta.raw.fields[p.module][s.meta.fields[p.module][api].ID])
		for k, v := range f {
			f[k] = deepCopy(v)
		}
		if n, err := strconv.Atoi(fmt.Sprint(f["quick_sequence_number"])); err == nil {
			f["quick_sequence_number"] = n // an integer here, where the fields API writes a string
		}
		f["layouts"], f["content"], f["validation_rule"], f["_type"] = maps.Clone(p.layout), []any{}, nil, "fields"
		f["transition_sequence"], f["personality_name"], f["mandatory"] = i+1, nil, slices.Contains(t.Required, api)
		fields = append(fields, f)
	}
	next := []any{}
	for _, n := range p.available(t.To) {
		next = append(next, map[string]any{"id": n.id, "name": n.Name, "criteria_matched": true, "type": "manual"})
	}
	return map[string]any{"id": t.id, "name": t.Name, "next_field_value": t.To, "type": "manual", "criteria_matched": true,
		"criteria_message": nil, "percent_partial_save": 0, "execution_time": nil, "color_code": nil, "text_color_code": nil,
		"data": data, "fields": fields, "next_transitions": next}
}

// transition answers PUT /{module}/{id}/actions/blueprint: it performs the
// transition the body names, available in the record's state, with the
// data given for its fields, once each required field has a value.
func (c *call) transition() {
	var b struct {
		Blueprint []struct {
			TransitionID any            `json:"transition_id"`
			Data         map[string]any `json:"data"`
		} `json:"blueprint"`
	}
	if err := decodeJSON(c.body, &b); err != nil || len(b.Blueprint) == 0 {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object with a blueprint array", map[string]any{"api_name": "blueprint", "json_path": "$.blueprint"}))
		return
	}
	if len(b.Blueprint) > 1 {
		c.fail(newErr(400, "LIMIT_EXCEEDED", "one transition a request", map[string]any{"api_name": "blueprint", "json_path": "$.blueprint", "limit": 1}))
		return
	}
	ms := c.s.records.module(c.moduleName)
	ms.mu.Lock()
	set, zerr := c.transitionLocked(b.Blueprint[0].TransitionID, b.Blueprint[0].Data)
	ms.mu.Unlock()
	if zerr != nil {
		c.fail(zerr)
		return
	}
	var changed changes // for the notification channels (watch.go)
	changed.add("update", c.pathID, slices.Sorted(maps.Keys(set)), set)
	c.s.publish(c.moduleName, &changed)
	writeJSON(c.w, http.StatusOK, map[string]any{"code": "SUCCESS", "details": map[string]any{}, "message": "transition updated successfully", "status": "success"})
}

// transitionLocked performs a transition on the record of the call and
// returns the fields it set. The caller holds the module's write lock.
func (c *call) transitionLocked(transitionID any, data map[string]any) (map[string]any, *zerr) {
	p, rec, state, zerr := c.s.blueprintRecord(c.moduleName, c.pathID)
	if zerr != nil {
		return nil, zerr
	}
	id, _ := idValue(transitionID)
	i := slices.IndexFunc(p.available(state), func(t transitionRun) bool { return t.id == id })
	if i < 0 {
		return nil, newErr(400, "INVALID_DATA", "invalid transition", map[string]any{"api_name": "transition_id", "json_path": "$.blueprint[0].transition_id"})
	}
	t := p.available(state)[i]
	path := func(api string) string { return "$.blueprint[0].data." + api }
	for _, api := range slices.Sorted(maps.Keys(data)) {
		if !slices.Contains(t.asked, api) {
			return nil, newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": api, "json_path": path(api),
				"reason": "not a field of the transition " + t.Name})
		}
	}
	for _, api := range t.Required {
		v, given := data[api]
		if !given {
			v = rec[api]
		}
		if v == nil || v == "" {
			return nil, newErr(400, "MANDATORY_NOT_FOUND", "mandatory param missing", map[string]any{"api_name": api, "json_path": path(api)})
		}
	}
	in := maps.Clone(data)
	if in == nil {
		in = map[string]any{}
	}
	in[p.Field] = t.To
	next, zerr := c.s.validateLocked(p.module, in, 0, false, rec)
	if zerr != nil {
		if jp, ok := zerr.Details["json_path"].(string); ok {
			zerr.Details["json_path"] = strings.Replace(jp, "$.data[0].", "$.blueprint[0].data.", 1)
		}
		return nil, zerr
	}
	next["Modified_Time"] = zohoTime(c.s.cfg.now())
	c.s.records.module(p.module).putLocked(next)
	return in, nil
}

// refuseUpdate is the error of an update of old (record i of a write) that
// Zoho refuses for what the record is, not for its values: a converted
// lead, or a change of the field of the blueprint the record is in. nil
// when the update may go on.
func (s *Server) refuseUpdate(module string, old, in map[string]any, i int) *zerr {
	if module == leadsModule && converted(old) {
		return newErr(400, "CONVERTED_RECORD", "can't update the converted record", map[string]any{"id": recordID(old)})
	}
	p := s.processes[module]
	if p == nil {
		return nil
	}
	v, changes := in[p.Field]
	if _, inProcess := p.state(old); !changes || !inProcess || equalValues(v, old[p.Field]) {
		return nil
	}
	return newErr(400, "RECORD_IN_BLUEPRINT", "The record is in blue print", map[string]any{"api_name": p.Field,
		"json_path": fmt.Sprintf("$.data[%d].%s", i, p.Field)})
}
