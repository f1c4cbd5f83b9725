package zohohub

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// formCase is a condition and what each form compiles it to; "" means the
// form must refuse it.
type formCase struct {
	name     string
	cond     Condition
	criteria string // search criteria, or the search parameters for word/email/phone
	coql     string
	bulk     string // Bulk Read criteria as JSON
}

func formCases() []formCase {
	day := Date{Year: 2024, Month: 1, Day: 31}
	day2 := Date{Year: 2024, Month: 12, Day: 31}
	at := time.Date(2023, 4, 19, 5, 58, 6, 0, time.FixedZone("", 5*3600+1800))
	courses := MultiSelectField[string]("Courses")
	return []formCase{
		// equals, not_equal
		{"equals", TextField("Last_Name").Equals("Burns"), `(Last_Name:equals:Burns)`, `Last_Name = 'Burns'`,
			`{"field":{"api_name":"Last_Name"},"comparator":"equal","value":"Burns"}`},
		{"not_equal", TextField("Last_Name").NotEqual("Burns"), `(Last_Name:not_equal:Burns)`, `(Last_Name is null or Last_Name != 'Burns')`,
			`{"field":{"api_name":"Last_Name"},"comparator":"not_equal","value":"Burns"}`},
		{"bool", BoolField("Email_Opt_Out").Is(true), `(Email_Opt_Out:equals:true)`, `Email_Opt_Out = true`,
			`{"field":{"api_name":"Email_Opt_Out"},"comparator":"equal","value":true}`},
		{"not bool", Not(BoolField("Email_Opt_Out").Is(true)), `(Email_Opt_Out:equals:false)`, `Email_Opt_Out = false`,
			`{"field":{"api_name":"Email_Opt_Out"},"comparator":"equal","value":false}`},
		// in, not_in
		{"in", PicklistField[string]("Stage").In("Closed Won", "Closed, Lost"), `(Stage:in:Closed Won,Closed\, Lost)`, `Stage in ('Closed Won', 'Closed, Lost')`,
			`{"field":{"api_name":"Stage"},"comparator":"in","value":["Closed Won","Closed, Lost"]}`},
		{"not_in", NumberField[int]("No_of_Employees").NotIn(1, 2), "", `(No_of_Employees is null or No_of_Employees not in (1, 2))`,
			`{"field":{"api_name":"No_of_Employees"},"comparator":"not_in","value":[1,2]}`},
		// ordering
		{"greater_than", DateTimeField("Modified_Time").After(at), `(Modified_Time:greater_than:2023-04-19T05:58:06+05:30)`, `Modified_Time > '2023-04-19T05:58:06+05:30'`,
			`{"field":{"api_name":"Modified_Time"},"comparator":"greater_than","value":"2023-04-19T05:58:06+05:30"}`},
		{"greater_equal", NumberField[float64]("Amount").GreaterEqual(1.5), `(Amount:greater_equal:1.5)`, `Amount >= 1.5`,
			`{"field":{"api_name":"Amount"},"comparator":"greater_equal","value":1.5}`},
		{"less_than", DateField("Birth_Date").Before(day), `(Birth_Date:less_than:2024-01-31)`, `Birth_Date < '2024-01-31'`,
			`{"field":{"api_name":"Birth_Date"},"comparator":"less_than","value":"2024-01-31"}`},
		{"less_equal", NumberField[int64]("Big").LessEqual(9007199254740993), `(Big:less_equal:9007199254740993)`, `Big <= 9007199254740993`,
			`{"field":{"api_name":"Big"},"comparator":"less_equal","value":9007199254740993}`},
		{"between", NumberField[float64]("Amount").Between(1.5, 1e6), `(Amount:between:1.5,1000000)`, `Amount between 1.5 and 1000000`,
			`{"field":{"api_name":"Amount"},"comparator":"between","value":[1.5,1000000]}`},
		{"decimal between", DecimalField("Amount").Between(MustParseDecimal("1.50"), MustParseDecimal("1234567890123456.78")), `(Amount:between:1.50,1234567890123456.78)`, `Amount between 1.50 and 1234567890123456.78`,
			`{"field":{"api_name":"Amount"},"comparator":"between","value":[1.50,1234567890123456.78]}`},
		{"decimal not_in", DecimalField("Amount").NotIn(MustParseDecimal("0.5")), "", `(Amount is null or Amount not in (0.5))`,
			`{"field":{"api_name":"Amount"},"comparator":"not_in","value":[0.5]}`},
		{"not_between", DateField("Birth_Date").NotBetween(day, day2), "", `(Birth_Date is null or Birth_Date not between '2024-01-31' and '2024-12-31')`,
			`{"field":{"api_name":"Birth_Date"},"comparator":"not_between","value":["2024-01-31","2024-12-31"]}`},
		{"datetime utc", DateTimeField("Modified_Time").After(at.UTC()), `(Modified_Time:greater_than:2023-04-19T00:28:06+00:00)`, `Modified_Time > '2023-04-19T00:28:06+00:00'`,
			`{"field":{"api_name":"Modified_Time"},"comparator":"greater_than","value":"2023-04-19T00:28:06+00:00"}`},
		// text patterns
		{"starts_with", TextField("Company").StartsWith("Zyl"), `(Company:starts_with:Zyl)`, `Company like 'Zyl%'`,
			`{"field":{"api_name":"Company"},"comparator":"starts_with","value":"Zyl"}`},
		{"starts_with %", TextField("Company").StartsWith("50%"), `(Company:starts_with:50%)`, "",
			`{"field":{"api_name":"Company"},"comparator":"starts_with","value":"50%"}`},
		{"not_starts_with", Not(TextField("Company").StartsWith("Zyl")), "", `(Company is null or Company not like 'Zyl%')`, ""},
		{"ends_with", TextField("Email").EndsWith("@x.com"), "", `Email like '%@x.com'`,
			`{"field":{"api_name":"Email"},"comparator":"ends_with","value":"@x.com"}`},
		{"not_ends_with", Not(TextField("Email").EndsWith("@x.com")), "", `(Email is null or Email not like '%@x.com')`, ""},
		{"contains", TextField("Company").Contains("zyl"), "", `Company like '%zyl%'`,
			`{"field":{"api_name":"Company"},"comparator":"contains","value":"zyl"}`},
		{"contains %", TextField("Company").Contains("%"), "", "",
			`{"field":{"api_name":"Company"},"comparator":"contains","value":"%"}`},
		{"contains _", TextField("Email").Contains("a_b"), "", "",
			`{"field":{"api_name":"Email"},"comparator":"contains","value":"a_b"}`},
		{"not_contains", TextField("Company").NotContains("zyl"), "", `(Company is null or Company not like '%zyl%')`,
			`{"field":{"api_name":"Company"},"comparator":"not_contains","value":"zyl"}`},
		{"like", TextField("Company").Like("Zyl%"), `(Company:starts_with:Zyl)`, `Company like 'Zyl%'`,
			`{"field":{"api_name":"Company"},"comparator":"starts_with","value":"Zyl"}`},
		{"like inner", TextField("Company").Like("Z%l"), "", `Company like 'Z%l'`, ""},
		{"like _", TextField("Company").Like("Z_l%"), `(Company:starts_with:Z_l)`, "",
			`{"field":{"api_name":"Company"},"comparator":"starts_with","value":"Z_l"}`},
		{"like any", TextField("Company").Like("%"), "", `Company like '%'`,
			`{"field":{"api_name":"Company"},"comparator":"not_equal","value":"${EMPTY}"}`},
		{"not_like", TextField("Company").NotLike("%zyl%"), "", `(Company is null or Company not like '%zyl%')`,
			`{"field":{"api_name":"Company"},"comparator":"not_contains","value":"zyl"}`},
		// empty
		{"is_null", TextField("Email").IsNull(), "", `Email is null`,
			`{"field":{"api_name":"Email"},"comparator":"equal","value":"${EMPTY}"}`},
		{"is_not_null", LookupField("Account_Name").IsNotNull(), "", `Account_Name is not null`,
			`{"field":{"api_name":"Account_Name"},"comparator":"not_equal","value":"${EMPTY}"}`},
		// a record's tags: search alone (docs/wire.md §12.3)
		{"tag contains", TagField("Tag").Contains("Hot, new"), `(Tag:equals:Hot\, new)`, "", ""},
		// multi-select: whole values, the same in each form
		{"multi contains", courses.Contains("Analytics"), `(Courses:equals:Analytics)`,
			`(((Courses like 'Analytics' or Courses like 'Analytics;%') or Courses like '%;Analytics') or Courses like '%;Analytics;%')`,
			`{"field":{"api_name":"Courses"},"comparator":"equal","value":"Analytics"}`},
		{"multi not contains", courses.NotContains("Analytics"), `(Courses:not_equal:Analytics)`,
			`(Courses is null or (((Courses not like 'Analytics' and Courses not like 'Analytics;%') and Courses not like '%;Analytics') and Courses not like '%;Analytics;%'))`,
			`{"field":{"api_name":"Courses"},"comparator":"not_equal","value":"Analytics"}`},
		{"multi in", courses.In("A", "B"), `(Courses:in:A,B)`,
			`(((((((Courses like 'A' or Courses like 'A;%') or Courses like '%;A') or Courses like '%;A;%') or Courses like 'B') or Courses like 'B;%') or Courses like '%;B') or Courses like '%;B;%')`,
			`{"field":{"api_name":"Courses"},"comparator":"in","value":["A","B"]}`},
		{"multi not in", courses.NotIn("A"), "",
			`(Courses is null or (((Courses not like 'A' and Courses not like 'A;%') and Courses not like '%;A') and Courses not like '%;A;%'))`,
			`{"field":{"api_name":"Courses"},"comparator":"not_in","value":["A"]}`},
		{"multi %", courses.Contains("50%"), `(Courses:equals:50%)`, "",
			`{"field":{"api_name":"Courses"},"comparator":"equal","value":"50%"}`},
		// word, email, phone: search parameters
		{"word", SearchWord("Zylker"), `word=Zylker`, "", ""},
		{"email", SearchEmail("a@x.com"), `email=a%40x.com`, "", ""},
		{"phone", SearchPhone("555 0100"), `phone=555+0100`, "", ""},
		// escaping and structure
		{"escapes", TextField("Company").Equals(`a(b),c\d`), `(Company:equals:a\(b\)\,c\\d)`, `Company = 'a(b),c\\d'`,
			`{"field":{"api_name":"Company"},"comparator":"equal","value":"a(b),c\\d"}`},
		{"quote", TextField("Last_Name").Equals(`O'Leary "x" 100% ü:`), `(Last_Name:equals:O'Leary "x" 100% ü:)`, `Last_Name = 'O''Leary "x" 100% ü:'`,
			`{"field":{"api_name":"Last_Name"},"comparator":"equal","value":"O'Leary \"x\" 100% ü:"}`},
		{"padded", TextField("Last_Name").Equals(" Burns"), "", `Last_Name = ' Burns'`,
			`{"field":{"api_name":"Last_Name"},"comparator":"equal","value":" Burns"}`},
		{"three pairwise", And(TextField("A").Equals("1"), TextField("B").Equals("2"), TextField("C").Equals("3")),
			`((A:equals:1)and(B:equals:2)and(C:equals:3))`, `((A = '1' and B = '2') and C = '3')`,
			`{"group_operator":"and","group":[{"field":{"api_name":"A"},"comparator":"equal","value":"1"},{"field":{"api_name":"B"},"comparator":"equal","value":"2"},{"field":{"api_name":"C"},"comparator":"equal","value":"3"}]}`},
		{"not of a group", Not(Or(NumberField[int]("N").GreaterThan(5), TextField("A").In("x"))),
			"", `(N <= 5 and (A is null or A not in ('x')))`,
			`{"group_operator":"and","group":[{"field":{"api_name":"N"},"comparator":"less_equal","value":5},{"field":{"api_name":"A"},"comparator":"not_in","value":["x"]}]}`},
		{"lookup", LookupField("Account_Name").Equals("123"), `(Account_Name:equals:123)`, `Account_Name = '123'`,
			`{"field":{"api_name":"Account_Name"},"comparator":"equal","value":"123"}`},
	}
}

func TestCompileThreeForms(t *testing.T) {
	for _, tc := range formCases() {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.cond.Err(); err != nil {
				t.Fatal(err)
			}
			params, err := tc.cond.searchParams()
			got := params.Get("criteria")
			if err == nil && got == "" {
				got = params.Encode()
			}
			if tc.criteria == "" && err == nil || tc.criteria != "" && (err != nil || got != tc.criteria) {
				t.Errorf("search = %q, %v; want %q", got, err, tc.criteria)
			}
			coql, err := tc.cond.coql()
			if tc.coql == "" && err == nil || tc.coql != "" && (err != nil || coql != tc.coql) {
				t.Errorf("coql = %q, %v; want %q", coql, err, tc.coql)
			}
			b, err := tc.cond.bulkCriteria()
			bulk, _ := json.Marshal(b)
			if tc.bulk == "" && err == nil || tc.bulk != "" && (err != nil || string(bulk) != tc.bulk) {
				t.Errorf("bulk = %s, %v; want %s", bulk, err, tc.bulk)
			}
		})
	}
}

// TestEveryOperatorHasFormCases keeps TestCompileThreeForms in step with
// the operator table.
func TestEveryOperatorHasFormCases(t *testing.T) {
	seen := map[Operator]bool{}
	for _, tc := range formCases() {
		tc.cond.walk(func(l Condition) { seen[l.op] = true })
	}
	for op := range operators {
		if !seen[op] {
			t.Errorf("operator %s has no case in formCases", op)
		}
	}
}

func TestCOQLRefusesWildcardsInLiteralText(t *testing.T) {
	for _, c := range []Condition{
		TextField("A").Contains("100%"), TextField("A").Contains("a_b"), TextField("A").StartsWith("x%"),
		TextField("A").EndsWith("_x"), TextField("A").NotContains("%"), TextField("A").Like("a_b%"),
		MultiSelectField[string]("M").Contains("a;b"),
	} {
		if w, err := c.coql(); err == nil || !strings.Contains(err.Error(), "COQL cannot match") {
			t.Errorf("%v compiled to %q, %v", c, w, err)
		}
	}
}

func TestConditionErrors(t *testing.T) {
	for name, c := range map[string]Condition{
		"between one value":  UntypedField("N").Between(1, nil),
		"in empty":           TextField("A").In(),
		"in too many":        TextField("A").In(strings.Split(strings.Repeat("x,", 60), ",")...),
		"not in empty":       TextField("A").NotIn(),
		"op for type":        UntypedField("X").cmp(OpStartsWith, 1).withKind(kindBool),
		"like on a number":   UntypedField("X").cmp(OpLike, "1%").withKind(kindNumber),
		"bad value type":     Field("X").Equals(struct{}{}),
		"empty field":        TextField("").Equals("x"),
		"criteria breaking":  TextField("A:equals:b)or(C").Equals("x"),
		"tab in field":       TextField("Last_Name\tor\tid").Equals("x"),
		"newline in field":   TextField("Last_Name\nor\nid").Equals("x"),
		"operator in field":  TextField("id!=0").Equals("x"),
		"empty path part":    TextField("Owner..id").Equals("x"),
		"empty group":        And(),
		"nested error group": Or(TextField("A").Equals("x"), TextField("B").In()),
		"invalid utf-8":      TextField("A").Equals("\xff"),
		"short word":         SearchWord("a"),
		"not of a word":      Not(SearchWord("Zylker")),
		"not of an error":    Not(TextField("A").In()),
	} {
		if c.Err() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := And(TextField("A").Equals("1"), TextField("B").In()).criteria(); err == nil {
		t.Error("criteria of an invalid condition compiled")
	}
	many := make([]Condition, 11)
	for i := range many {
		many[i] = TextField("A").Equals("x")
	}
	if _, err := And(many...).criteria(); err == nil {
		t.Error("11 conditions accepted for search")
	}
	if _, err := And(SearchWord("Zylker"), TextField("A").Equals("x")).searchParams(); err == nil {
		t.Error("a word search combined with criteria")
	}
	// Seven multi-select values make 28 COQL comparisons: more than Zoho's 25.
	if _, err := MultiSelectField[string]("M").In("a", "b", "c", "d", "e", "f", "g").coql(); err == nil || !strings.Contains(err.Error(), "at most 25") {
		t.Errorf("28 COQL comparisons: %v", err)
	}
}

func TestNotIsItsOwnInverse(t *testing.T) {
	for _, tc := range formCases() {
		if operators[tc.cond.op].param || tc.cond.kind == kindTag {
			continue // no opposite: word searches, and tag filters (TestTagConditionForms)
		}
		if got, want := Not(Not(tc.cond)).String(), tc.cond.String(); got != want {
			t.Errorf("%s: Not(Not(c)) = %s, want %s", tc.name, got, want)
		}
	}
}

// withKind rebuilds a leaf as if its field were of kind k (test helper).
func (c Condition) withKind(k fieldKind) Condition { return compare(c.field, k, c.op, c.values...) }
