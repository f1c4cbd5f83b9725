package mysqlstore_test

import (
	"context"
	"fmt"
	"os"

	"github.com/zohohub/zohohub/persistence"
	"github.com/zohohub/zohohub/persistence/mysqlstore"
)

// ExampleOpen keeps tokens in MySQL or MariaDB (here the test server that
// make test starts). The table is created with the official SDKs'
// oauthtoken schema, so tokens written by an SDK are readable and vice versa.
func ExampleOpen() {
	ctx := context.Background()
	dsn := os.Getenv("ZOHOHUB_MYSQL_DSN") // e.g. "zoho:pw@tcp(db.internal:3306)/zohooauth"
	if dsn == "" {
		dsn = "root@tcp(127.0.0.1:3306)/test"
	}
	store, err := mysqlstore.Open(ctx, dsn, mysqlstore.WithTable("example_tokens"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer store.Close()
	defer store.DeleteAll(ctx)

	key := persistence.Key{UserName: "jane@example.com", ClientID: "1000.CLIENTID"}
	if err := store.Save(ctx, &persistence.Token{UserName: key.UserName, ClientID: key.ClientID,
		RefreshToken: "1000.refresh", APIDomain: "https://www.zohoapis.eu"}); err != nil {
		fmt.Println(err)
		return
	}
	got, err := store.Get(ctx, key)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.UserName, got.APIDomain)
	// Output:
	// jane@example.com https://www.zohoapis.eu
}
