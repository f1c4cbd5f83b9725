package persistence_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zohohub/zohohub/persistence"
)

func ExampleNewMemory() {
	ctx := context.Background()
	store := persistence.NewMemory()

	tok := &persistence.Token{
		UserName:     "jane@example.com",
		ClientID:     "1000.CLIENTID",
		RefreshToken: "1000.refresh",
		AccessToken:  "1000.access",
		Expiry:       time.UnixMilli(1795341180470),
		APIDomain:    "https://www.zohoapis.eu",
	}
	if err := store.Save(ctx, tok); err != nil {
		fmt.Println(err)
		return
	}
	got, err := store.Get(ctx, persistence.Key{UserName: "jane@example.com", ClientID: "1000.CLIENTID"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.ID, got.APIDomain, got.Expiry.UTC().Format(time.RFC3339))

	_, err = store.Get(ctx, persistence.Key{UserName: "someone@else", ClientID: "1000.CLIENTID"})
	fmt.Println(err)
	// Output:
	// 1 https://www.zohoapis.eu 2026-11-22T09:53:00Z
	// persistence: token not found: someone@else@1000.CLIENTID
}

func ExampleNewFile() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "zohohub-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "sdk_tokens.csv")

	// The file is the official SDKs' token file: an SDK can read it, and a
	// file an SDK wrote can be opened here as-is.
	store, err := persistence.NewFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	err = store.Save(ctx, &persistence.Token{
		UserName:     "jane@example.com",
		ClientID:     "1000.CLIENTID",
		ClientSecret: "secret",
		RefreshToken: "1000.refresh",
		AccessToken:  "1000.access",
		Expiry:       time.UnixMilli(1795341180470),
		RedirectURL:  "http://localhost:8080/callback",
		APIDomain:    "https://www.zohoapis.com",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	data, _ := os.ReadFile(path)
	fmt.Print(strings.ReplaceAll(string(data), ",", ", "))
	fi, _ := os.Stat(path)
	fmt.Println(fi.Mode().Perm())
	// Output:
	// id, user_name, client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain
	// 1, jane@example.com, 1000.CLIENTID, secret, 1000.refresh, 1000.access, , 1795341180470, http://localhost:8080/callback, https://www.zohoapis.com
	// -rw-------
}

func ExampleImportSDKFile() {
	ctx := context.Background()
	mem := persistence.NewMemory()
	n, err := persistence.ImportSDKFile(ctx, "testdata/sdk_tokens.csv", mem)
	if err != nil {
		fmt.Println(err)
		return
	}
	tok, _ := mem.Get(ctx, persistence.Key{UserName: "jane@example.com:333", ClientID: "cid"})
	fmt.Println(n, tok.APIDomain)
	// Output: 1 https://www.zohoapis.com
}

// Copy moves every token from one store to another, for example from a file
// to MySQL when an application grows to several machines.
func ExampleCopy() {
	ctx := context.Background()
	dir, _ := os.MkdirTemp("", "tokens")
	defer os.RemoveAll(dir)
	src, _ := persistence.NewFile(filepath.Join(dir, "tokens.csv"))
	for _, user := range []string{"jane@example.com", "john@example.com"} {
		_ = src.Save(ctx, &persistence.Token{UserName: user, ClientID: "1000.CLIENTID", RefreshToken: "1000.refresh"})
	}
	dst := persistence.NewMemory() // or mysqlstore.Open(ctx, dsn)
	n, err := persistence.Copy(ctx, dst, src)
	fmt.Println(n, err)
	// Output: 2 <nil>
}
