package spec_test

import (
	"testing"
	"time"
)

// testWatch checks the notifications API: enable, list (and 204), renew,
// remove events, disable, and the errors of a channel and of a request.
func (c *conformance) testWatch(t *testing.T) {
	// notify_url is never called: the channel watches Deals, which no
	// other case writes, and is disabled at the end.
	const url = "https://www.abcdezoho.com/notify"
	exp := time.Now().Add(48 * time.Hour).Format("2006-01-02T15:04:05-07:00")
	c.crm(t, "GET", "/crm/v8/actions/watch", "", 204, "")
	c.crm(t, "POST", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"7001","events":["Deals.all"],"notify_url":"`+url+`","token":"tok","channel_expiry":"`+exp+`"}]}`, 201, "SUCCESS")
	c.crm(t, "POST", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"7002","events":["Nope.all"],"notify_url":"`+url+`"}]}`, 202, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"7002","events":["Deals.all"]}]}`, 202, "MANDATORY_NOT_FOUND")
	c.crm(t, "POST", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"7002","events":["Deals.all"],"notify_url":"`+url+`","channel_expiry":"2099-01-01T00:00:00+00:00"}]}`, 202, "INVALID_DATA")
	c.crm(t, "POST", "/crm/v8/actions/watch", `not json`, 400, "INVALID_DATA")
	c.crm(t, "GET", "/crm/v8/actions/watch", "", 200, "")
	c.crm(t, "GET", "/crm/v8/actions/watch?module=Deals&channel_id=7001", "", 200, "")
	c.crm(t, "PUT", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"7001","events":["Deals.create","Deals.edit"],"notify_url":"`+url+`","token":"tok2"}]}`, 200, "SUCCESS")
	c.crm(t, "PUT", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"7999","events":["Deals.all"],"notify_url":"`+url+`"}]}`, 202, "NOT_SUBSCRIBED")
	c.crm(t, "PATCH", "/crm/v8/actions/watch", `{"watch":[{"channel_id":"7001","events":["Deals.edit"],"_delete_events":true}]}`, 200, "SUCCESS")
	c.crm(t, "DELETE", "/crm/v8/actions/watch", "", 400, "REQUIRED_PARAM_MISSING")
	c.crm(t, "DELETE", "/crm/v8/actions/watch?channel_ids=7001", "", 200, "SUCCESS")
	c.crm(t, "DELETE", "/crm/v8/actions/watch?channel_ids=7001", "", 202, "NOT_SUBSCRIBED")
}
