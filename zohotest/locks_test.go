package zohotest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// answers serves one request and reports its status, failing the test
// if the request is still waiting after a while: for a lock it must not
// need.
func answers(t *testing.T, s *Server, access, method, target, body string) int {
	t.Helper()
	done := make(chan int, 1)
	go func() {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		done <- w.Code
	}()
	select {
	case code := <-done:
		return code
	case <-time.After(10 * time.Second):
		t.Fatalf("%s %s waits for a lock it does not need", method, target)
		return 0
	}
}

// The server's state is in parts with locks of their own: a module's
// write lock held (a long write) stops no call on another module, even
// one following lookups into it, nor its bulk jobs; its read lock held
// stops no read of it; the bulk jobs' lock stops no record call.
func TestLocksAreIndependent(t *testing.T) {
	t.Parallel()
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	access, _ := s.IssueToken()
	acct, err := s.Seed("Accounts", map[string]any{"Account_Name": "Zylker"})
	if err != nil {
		t.Fatal(err)
	}
	leads, err := s.Seed("Leads", map[string]any{"Last_Name": "Doe"})
	if err != nil {
		t.Fatal(err)
	}
	contact := `{"data":[{"Last_Name":"Roe","Account_Name":{"id":"` + acct[0] + `"}}]}`

	accounts := s.records.module("Accounts")
	accounts.mu.Lock() // a write to Accounts in progress
	for _, call := range []struct{ method, target, body string }{
		{"POST", "/crm/v8/Contacts", contact}, // its lookup must exist in Accounts
		{"GET", "/crm/v8/Contacts?fields=Last_Name,Account_Name", ""},
		{"POST", "/crm/v8/coql", `{"select_query":"select Last_Name, Account_Name.Account_Name from Contacts where Account_Name.Account_Name = 'Zylker'"}`},
		{"GET", "/crm/v8/Leads/search?word=Doe", ""},
		{"GET", "/crm/v8/Accounts/" + acct[0], ""}, // a record by id needs no lock
		{"POST", "/crm/bulk/v8/read", `{"query":{"module":{"api_name":"Contacts"}}}`},
	} {
		if code := answers(t, s, access, call.method, call.target, call.body); code >= 300 {
			t.Errorf("%s %s: %d", call.method, call.target, code)
		}
	}
	accounts.mu.Unlock()

	leadStore := s.records.module("Leads")
	leadStore.mu.RLock() // a read of Leads in progress
	for _, target := range []string{"/crm/v8/Leads?fields=Last_Name", "/crm/v8/Leads/search?word=Doe", "/crm/v8/Leads/actions/count", "/crm/v8/Leads/" + leads[0]} {
		if code := answers(t, s, access, "GET", target, ""); code != http.StatusOK {
			t.Errorf("GET %s during another read: %d", target, code)
		}
	}
	leadStore.mu.RUnlock()

	s.bulk.mu.Lock() // a bulk job being added
	if code := answers(t, s, access, "POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Poe"}]}`); code != http.StatusCreated {
		t.Errorf("insert while the bulk jobs are locked: %d", code)
	}
	s.bulk.mu.Unlock()
}

// A bulk write takes its module's lock a row at a time and the bulk jobs'
// lock only to add its job: while it waits for a row, status calls of
// other jobs and record calls on other modules are answered.
func TestBulkWriteHoldsNoLockWhileWaiting(t *testing.T) {
	t.Parallel()
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	access, _ := s.IssueToken()
	file := &uploadedFile{id: s.records.newID(), name: "leads.csv", rows: [][]string{{"Last_Name"}, {"Doe"}, {"Roe"}}}
	addJob(s.bulk, s.bulk.files, file.id, file)
	read := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/crm/bulk/v8/read", strings.NewReader(`{"query":{"module":{"api_name":"Contacts"}}}`))
	req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
	s.ServeHTTP(read, req)
	readJob := recordID(mustItem(t, read.Body.String())["details"].(map[string]any))

	leads := s.records.module("Leads")
	leads.mu.Lock() // a long write to Leads
	written := make(chan int, 1)
	go func() {
		req := httptest.NewRequest("POST", "/crm/bulk/v8/write", strings.NewReader(`{"operation":"insert","resource":[{"type":"data","module":{"api_name":"Leads"},`+
			`"file_id":"`+file.id+`","field_mappings":[{"api_name":"Last_Name","index":0}]}]}`))
		req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		written <- w.Code
	}()
	if code := answers(t, s, access, "GET", "/crm/bulk/v8/read/"+readJob, ""); code != http.StatusOK {
		t.Errorf("status of another job during the import: %d", code)
	}
	if code := answers(t, s, access, "POST", "/crm/v8/Contacts", `{"data":[{"Last_Name":"Roe"}]}`); code != http.StatusCreated {
		t.Errorf("insert into another module during the import: %d", code)
	}
	leads.mu.Unlock()
	if code := <-written; code != http.StatusCreated {
		t.Fatalf("bulk write: %d", code)
	}
	if n := len(s.Records("Leads")); n != 2 {
		t.Errorf("%d Leads imported, want 2", n)
	}
}

func mustItem(t *testing.T, body string) map[string]any {
	t.Helper()
	v, err := parseJSON([]byte(body))
	if err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return v.(map[string]any)["data"].([]any)[0].(map[string]any)
}
