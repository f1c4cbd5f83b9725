package zohotest

import "net/http"

// Mass change of owner (docs/wire.md §12.6, mass_change_owner.json): POST
// /{module}/actions/mass_change_owner with {"cvid", "owner":{"id"}} and an
// optional criteria (Bulk Read's JSON criteria) gives every record of the
// custom view that matches a new owner, as a job of at most 50,000
// records; GET /{module}/actions/mass_change_owner?job_id= tells its
// state in mass update's shape. The job does its work when created, as
// scheduled mass updates do (massupdate.go). Territories are not served.

// massOwnerScope is what a mass change of owner needs: Zoho's page names
// ZohoCRM.change_owner.CREATE to schedule it and .READ to read its state.
func massOwnerScope(op string) func(*call) []need {
	return func(*call) []need {
		return []need{{"ZohoCRM.modules.ALL", "ZohoCRM.change_owner.ALL", "ZohoCRM.change_owner." + op}}
	}
}

type massOwnerBody struct {
	CVID      any            `json:"cvid"`
	Owner     map[string]any `json:"owner"`
	Territory any            `json:"territory"`
	Criteria  *bulkCriteria  `json:"criteria"`
}

// massChangeOwner answers POST /{module}/actions/mass_change_owner.
func (c *call) massChangeOwner(module string) {
	var b massOwnerBody
	if err := decodeJSON(c.body, &b); err != nil {
		c.fail(newErr(400, "INVALID_DATA", "body is not a JSON object", nil))
		return
	}
	switch {
	case b.CVID == nil:
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "cvid", "expected_data_type": "string"}))
		return
	case b.Owner == nil || b.Owner["id"] == nil:
		c.fail(newErr(400, "MANDATORY_NOT_FOUND", "required field not found", map[string]any{"api_name": "Owner", "expected_data_type": "jsonobject"}))
		return
	case b.Territory != nil:
		c.fail(newErr(400, "INVALID_DATA", "the territory given seems to be invalid", map[string]any{"param_name": "territory"}))
		return
	}
	owner, _ := idValue(b.Owner["id"])
	if _, ok := c.s.meta.user(owner); !ok {
		c.fail(newErr(400, "INVALID_DATA", "the owner id given is invalid", map[string]any{"param_name": "owner"}))
		return
	}
	where, zerr := c.massReach(module, b.CVID, b.Criteria)
	if zerr != nil {
		c.fail(zerr)
		return
	}
	cvid, _ := idValue(b.CVID)
	job, zerr := c.runMassJob("mass_change_owner", module, where, func(r map[string]any, changed *changes) bool {
		return c.s.setOwnerLocked(module, recordID(r), owner, changed)
	})
	if zerr != nil {
		c.fail(zerr)
		return
	}
	writeJSON(c.w, http.StatusOK, map[string]any{"data": []any{map[string]any{
		"code": "SUCCESS", "details": map[string]any{"id": cvid, "job_id": job.id}, "message": "owner is successfully updated", "status": "success"}}})
}
