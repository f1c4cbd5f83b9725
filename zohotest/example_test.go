package zohotest_test

import (
	"fmt"
	"log"

	"github.com/zohohub/zohohub/zohotest"
)

func ExampleStart() {
	srv, err := zohotest.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	ids, err := srv.Seed("Leads", map[string]any{"Last_Name": "Doe", "Company": "Acme"})
	if err != nil {
		log.Fatal(err)
	}
	lead := srv.Records("Leads")[0]
	fmt.Println(len(ids[0]), lead["Last_Name"], lead["Full_Name"])
	_, err = srv.Seed("Leads", map[string]any{"Company": "no last name"})
	fmt.Println(err)
	// Output:
	// 19 Doe Doe
	// MANDATORY_NOT_FOUND: required field not found
}
