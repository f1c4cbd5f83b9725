package zohotest

import (
	"fmt"
	"net/http"
	"slices"
)

// Change owner (docs/wire.md §12.6, change_owner.json): POST
// /{module}/{id}/actions/change_owner and POST /{module}/actions/change_owner
// with ids (at most 500) give records a new owner, a user of the org, and,
// for the modules related_modules names (Tasks, Events, Calls, by api_name
// or module id), the activities of each record too. One result per
// record, answered 202 as change_owner.json files them (400 when every
// record failed). notify would mail the new owner; nothing is sent here.

const maxOwnerIDs = 500

// ownerScope is what a change of owner needs: change_owner.json names
// ZohoCRM.modules.ALL, Zoho's page ZohoCRM.change_owner.CREATE.
func ownerScope(*call) []need {
	return []need{{"ZohoCRM.modules.ALL", "ZohoCRM.change_owner.ALL", "ZohoCRM.change_owner.CREATE"}}
}

type changeOwnerBody struct {
	IDs            []any            `json:"ids"`
	Owner          map[string]any   `json:"owner"`
	Notify         any              `json:"notify"`
	RelatedModules []map[string]any `json:"related_modules"`
}

// changeOwner answers both forms; pathID is the one record's id, or "".
func (c *call) changeOwner(module, pathID string) {
	var b changeOwnerBody
	if err := decodeJSON(c.body, &b); err != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object", nil))
		return
	}
	if b.Owner == nil || b.Owner["id"] == nil {
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "owner", "json_path": "$.owner"}))
		return
	}
	owner, _ := idValue(b.Owner["id"])
	if _, ok := c.s.meta.user(owner); !ok {
		c.fail(newErr(400, "INVALID_DATA", "the owner id given is invalid", map[string]any{"param_name": "owner"}))
		return
	}
	related, zerr := c.relatedOwnerModules(b.RelatedModules)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	ids, zerr := c.actionIDs(pathID, b.IDs, false, maxOwnerIDs)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	s := c.s
	ms := s.records.module(module)
	items := make([]any, len(ids))
	var outcome outcomes
	var changed changes
	var done []string
	ms.mu.Lock()
	for j, id := range ids {
		if !s.setOwnerLocked(module, id, owner, &changed) {
			items[j] = outcome.failed(actionIDError(pathID, j, id, "the id given seems to be invalid"))
			continue
		}
		done = append(done, id)
		items[j] = outcome.succeeded(map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "owner is successfully updated", "status": "success"})
	}
	ms.mu.Unlock()
	s.publish(module, &changed)
	// The activities, module by module: one module's lock at a time.
	for _, m := range related {
		var acts []string
		for _, id := range done {
			for _, a := range s.activitiesOf(module, id) {
				if a["Activity_Type"] == m {
					acts = append(acts, recordID(a))
				}
			}
		}
		var changedActs changes
		ams := s.records.module(m)
		ams.mu.Lock()
		for _, id := range acts {
			s.setOwnerLocked(m, id, owner, &changedActs)
		}
		ams.mu.Unlock()
		s.publish(m, &changedActs)
	}
	status := http.StatusAccepted // mixed too: change_owner.json's MixedResponse
	if outcome.ok == 0 {
		status = http.StatusBadRequest
	}
	writeJSON(c.w, status, map[string]any{"data": items})
}

// setOwnerLocked gives the record id of module the owner, reporting
// whether it exists. The caller holds the module's write lock.
func (s *Server) setOwnerLocked(module, id, owner string, changed *changes) bool {
	ms := s.records.module(module)
	old, ok := ms.get(id)
	if !ok {
		return false
	}
	rec := copyRecord(old)
	rec["Owner"] = map[string]any{"id": owner}
	rec["Modified_Time"] = zohoTime(s.cfg.now())
	ms.putLocked(rec)
	changed.add("update", id, []string{"Owner"}, map[string]any{"Owner": rec["Owner"]})
	return true
}

// relatedOwnerModules reads related_modules: each names Tasks, Events or
// Calls by api_name or by module id; where both are given, Zoho goes by
// the one that is valid.
func (c *call) relatedOwnerModules(in []map[string]any) ([]string, *zerr) {
	var out []string
	for i, r := range in {
		name, _ := r["api_name"].(string)
		id, _ := idValue(r["id"])
		found := ""
		for _, m := range activityModules {
			mod := c.s.meta.raw.modules[m]
			if mod == nil {
				continue
			}
			if m == name || id != "" && mod["id"] == id {
				found = m
			}
		}
		if found == "" {
			return nil, newErr(400, "INVALID_DATA", "invalid data", map[string]any{"api_name": "related_modules", "json_path": fmt.Sprintf("$.related_modules[%d]", i)})
		}
		if !slices.Contains(out, found) {
			out = append(out, found)
		}
	}
	return out, nil
}
