package zohohub

import (
	"strings"
	"testing"
	"time"
)

func TestCompileCriteriaAndCOQL(t *testing.T) {
	day := Date{Year: 2024, Month: 1, Day: 31}
	at := time.Date(2023, 4, 19, 5, 58, 6, 0, time.FixedZone("", 5*3600+1800))
	cases := []struct {
		name     string
		cond     Condition
		criteria string // "" when search cannot express it
		coql     string
	}{
		{"equals", TextField("Last_Name").Equals("Burns"), `(Last_Name:equals:Burns)`, `Last_Name = 'Burns'`},
		{"escapes", TextField("Company").Equals(`a(b),c\d`), `(Company:equals:a\(b\)\,c\\d)`, `Company = 'a(b),c\\d'`},
		{"quote", TextField("Last_Name").Equals(`O'Leary "x" 100% ü:`), `(Last_Name:equals:O'Leary "x" 100% ü:)`, `Last_Name = 'O''Leary "x" 100% ü:'`},
		{"and", And(TextField("A").Equals("1"), TextField("B").StartsWith("M")), `((A:equals:1)and(B:starts_with:M))`, `(A = '1' and B like 'M%')`},
		{"three pairwise", And(TextField("A").Equals("1"), TextField("B").Equals("2"), TextField("C").Equals("3")),
			`((A:equals:1)and(B:equals:2)and(C:equals:3))`, `((A = '1' and B = '2') and C = '3')`},
		{"nested or", Or(NumberField[int]("N").GreaterThan(5), And(BoolField("X").Is(true), DateField("D").Equals(day))),
			`((N:greater_than:5)or((X:equals:true)and(D:equals:2024-01-31)))`, `(N > 5 or (X = true and D = '2024-01-31'))`},
		{"in", PicklistField[string]("Stage").In("Closed Won", "Closed, Lost"), `(Stage:in:Closed Won,Closed\, Lost)`, `Stage in ('Closed Won', 'Closed, Lost')`},
		{"between", NumberField[float64]("Amount").Between(1.5, 1e6), `(Amount:between:1.5,1000000)`, `Amount between 1.5 and 1000000`},
		{"bigint", NumberField[int64]("Big").Equals(9007199254740993), `(Big:equals:9007199254740993)`, `Big = 9007199254740993`},
		{"datetime", DateTimeField("Modified_Time").After(at), `(Modified_Time:greater_than:2023-04-19T05:58:06+05:30)`, `Modified_Time > '2023-04-19T05:58:06+05:30'`},
		{"datetime utc", DateTimeField("Modified_Time").After(at.UTC()), `(Modified_Time:greater_than:2023-04-19T00:28:06+00:00)`, `Modified_Time > '2023-04-19T00:28:06+00:00'`},
		{"null", TextField("Email").IsNull(), "", `Email is null`},
		{"contains", TextField("Company").Contains("zyl"), "", `Company like '%zyl%'`},
		{"lookup", LookupField("Account_Name").Equals("123"), `(Account_Name:equals:123)`, `Account_Name = '123'`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			crit, err := tc.cond.criteria()
			if tc.criteria == "" {
				if err == nil {
					t.Errorf("criteria = %q, want an error", crit)
				}
			} else if err != nil || crit != tc.criteria {
				t.Errorf("criteria = %q, %v; want %q", crit, err, tc.criteria)
			}
			if got, err := tc.cond.coql(); err != nil || got != tc.coql {
				t.Errorf("coql = %q, %v; want %q", got, err, tc.coql)
			}
		})
	}
}

func TestConditionErrors(t *testing.T) {
	for name, c := range map[string]Condition{
		"between one value":  UntypedField("N").Between(1, nil),
		"in empty":           TextField("A").In(),
		"in too many":        TextField("A").In(strings.Split(strings.Repeat("x,", 60), ",")...),
		"op for type":        UntypedField("X").cmp(OpStartsWith, 1).withKind(kindBool),
		"bad value type":     Field("X").Equals(struct{}{}),
		"empty field":        TextField("").Equals("x"),
		"criteria breaking":  TextField("A:equals:b)or(C").Equals("x"),
		"tab in field":       TextField("Last_Name\tor\tid").Equals("x"),
		"newline in field":   TextField("Last_Name\nor\nid").Equals("x"),
		"operator in field":  TextField("id!=0").Equals("x"),
		"empty path part":    TextField("Owner..id").Equals("x"),
		"empty group":        And(),
		"nested error group": Or(TextField("A").Equals("x"), TextField("B").In()),
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
}

// withKind rebuilds a leaf as if its field were of kind k (test helper).
func (c Condition) withKind(k fieldKind) Condition { return compare(c.field, k, c.op, c.values...) }
