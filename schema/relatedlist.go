package schema

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// RelatedList is a related list as GET /settings/related_lists?module=X
// lists it: a list of records of another module shown on a record.
type RelatedList struct {
	ID           string `json:"id"`
	APIName      string `json:"api_name"`
	Name         string `json:"name"`
	DisplayLabel string `json:"display_label"`
	// Module is the module of the records in the list.
	Module ModuleRef `json:"module"`
	// Href is the path of the records, relative to the API root, with
	// {ENTITYID} standing for the parent record's id, such as
	// "Accounts/{ENTITYID}/Contacts"; empty for lists the API does not serve.
	Href string `json:"href"`
	// Type is default, custom (a lookup to the module), multiselectlookup
	// or another kind Zoho adds.
	Type string `json:"type"`
	// LinkingModule and ConnectedModule name the modules of a
	// multi-select lookup's related list.
	LinkingModule   string `json:"linkingmodule"`
	ConnectedModule string `json:"connectedmodule"`
	SequenceNumber  int    `json:"sequence_number"`
	Visible         bool   `json:"visible"`
	Status          string `json:"status"`
}

// UnmarshalJSON decodes a related list; its sequence_number, a string in
// Zoho's answers, may also be a number.
func (r *RelatedList) UnmarshalJSON(b []byte) error {
	type plain RelatedList // without this method
	var v struct {
		plain
		SequenceNumber json.RawMessage `json:"sequence_number"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*r = RelatedList(v.plain)
	if s := strings.Trim(string(v.SequenceNumber), `"`); s != "" && s != "null" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return fmt.Errorf("related list %s: sequence_number %s is not a number", r.APIName, v.SequenceNumber)
		}
		r.SequenceNumber = n
	}
	return nil
}
