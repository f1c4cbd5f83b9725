package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zohohub/zohohub/internal/testenv"
)

// zhemuRun is zhemu running in-process on a free port.
type zhemuRun struct {
	base string
	out  *testenv.SyncBuffer
}

// startZhemu runs zhemu with args (and -addr) until the test ends, and
// waits until it answers.
func startZhemu(t *testing.T, args ...string) *zhemuRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	z := &zhemuRun{out: &testenv.SyncBuffer{}}
	done := make(chan error, 1)
	// Port 0: zhemu listens on a port the kernel picks and prints its base
	// URL. An address found free beforehand can be taken by any socket of
	// a parallel test before zhemu binds it.
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), z.out) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("zhemu: %v", err)
		}
	})
	const printed = "zhemu: API base URL "
	for i := 0; ; i++ {
		if out := z.out.String(); z.base == "" && strings.Contains(out, printed) {
			z.base = strings.TrimSuffix(strings.Fields(strings.SplitN(out, printed, 2)[1])[0], "/crm/v8")
		}
		if z.base != "" {
			if resp, err := http.Get(z.base + "/crm/v8/org"); err == nil {
				resp.Body.Close()
				return z
			}
		}
		select {
		case err := <-done:
			done <- err
			t.Fatalf("zhemu exited: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if i > 250 {
			t.Fatal("zhemu did not start")
		}
	}
}

// token exchanges a grant code for an access token.
func (z *zhemuRun) token(t *testing.T, id, secret, code string) string {
	t.Helper()
	resp, err := http.PostForm(z.base+"/oauth/v2/token", url.Values{"grant_type": {"authorization_code"}, "client_id": {id}, "client_secret": {secret}, "code": {code}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok map[string]any
	json.NewDecoder(resp.Body).Decode(&tok)
	access, _ := tok["access_token"].(string)
	if access == "" || tok["refresh_token"] == nil {
		t.Fatalf("token answer %v", tok)
	}
	return access
}

// call sends a CRM request with the access token.
func (z *zhemuRun) call(t *testing.T, access, method, path, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, z.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Zoho-oauthtoken "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	json.NewDecoder(resp.Body).Decode(&m)
	return resp.StatusCode, m
}

// TestZhemuServesIndependentClients runs zhemu on a free port and talks to
// it with plain net/http, as a client in another language would.
func TestZhemuServesIndependentClients(t *testing.T) {
	t.Parallel()
	z := startZhemu(t, "-client-id", "ID", "-client-secret", "S", "-grant-token", "G", "-user-email", "e@example.com")
	access := z.token(t, "ID", "S", "G")
	code, m := z.call(t, access, "POST", "/crm/v8/Leads", `{"data":[{"Last_Name":"Doe","Company":"Acme"}]}`)
	if code != 201 {
		t.Fatalf("insert: %d %v", code, m)
	}
	id := m["data"].([]any)[0].(map[string]any)["details"].(map[string]any)["id"].(string)
	if code, m := z.call(t, access, "GET", "/crm/v8/Leads/"+id, ""); code != 200 || m["data"].([]any)[0].(map[string]any)["Last_Name"] != "Doe" {
		t.Fatalf("get: %d %v", code, m)
	}
	if code, m := z.call(t, access, "GET", "/crm/v8/Nope", ""); code != 400 || m["code"] != "INVALID_MODULE" || m["status"] != "error" {
		t.Fatalf("bad module: %d %v", code, m)
	}
	if !strings.Contains(z.out.String(), "API base URL "+z.base+"/crm/v8") || !strings.Contains(z.out.String(), "/oauth/v2/token") {
		t.Fatalf("start-up lines: %q", z.out.String())
	}
}

// -metadata serves an org's own metadata (the layout zhgen -dump writes)
// and -custom-field adds fields to it, as zohotest's WithMetadata and
// WithCustomField do; -seed prints the ids of the records it loads.
func TestMetadataAndCustomFieldFlags(t *testing.T) {
	t.Parallel()
	dump := t.TempDir()
	for name, content := range map[string]string{
		"modules.json":         `{"modules":[{"api_name":"Projects","module_name":"Projects","api_supported":true,"generated_type":"custom"}]}`,
		"fields/Projects.json": `{"fields":[{"id":"1","api_name":"Name","data_type":"text","json_type":"string","length":120,"system_mandatory":true,"unique":{},"lookup":{}}]}`,
	} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dump, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dump, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	seed := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seed, []byte(`{"Projects":[{"Name":"Apollo","Budget__c":1000.5}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	z := startZhemu(t, "-client-id", "ID", "-client-secret", "S", "-grant-token", "G", "-metadata", dump,
		"-custom-field", "Projects.Budget__c:currency", "-custom-field", "Projects.Sponsor__c:lookup:Projects", "-seed", seed)
	access := z.token(t, "ID", "S", "G")
	seeded := strings.Fields(strings.SplitN(z.out.String(), "zhemu: seeded Projects ", 2)[1])
	if len(seeded) == 0 {
		t.Fatalf("no seeded ids in %q", z.out.String())
	}
	body := `{"data":[{"Name":"Gemini","Budget__c":250,"Sponsor__c":{"id":"` + seeded[0] + `"}}]}`
	if code, m := z.call(t, access, "POST", "/crm/v8/Projects", body); code != 201 {
		t.Fatalf("insert with the custom fields: %d %v", code, m)
	}
	if code, m := z.call(t, access, "GET", "/crm/v8/Leads?fields=Last_Name", ""); code != 400 || m["code"] != "INVALID_MODULE" {
		t.Fatalf("a module the dump lacks: %d %v", code, m)
	}
	code, m := z.call(t, access, "GET", "/crm/v8/settings/fields?module=Projects", "")
	data, _ := json.Marshal(m)
	if code != 200 || !bytes.Contains(data, []byte(`"Budget__c"`)) || !bytes.Contains(data, []byte(`"Sponsor__c"`)) {
		t.Fatalf("fields: %d %s", code, data)
	}

	for _, args := range [][]string{{"-custom-field", "Projects:Budget"}, {"-metadata", filepath.Join(dump, "missing")}, {"-custom-field", "Nope.X__c:text"}} {
		if err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, args...), &bytes.Buffer{}); err == nil {
			t.Errorf("zhemu %v started", args)
		}
	}
}
