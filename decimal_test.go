package zohohub_test

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/zohohub/zohohub"
)

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "+0": "0", "000": "0", "0.00": "0.00", "-0.00": "0.00",
		"1250.50": "1250.50", "-1250.50": "-1250.50", "+7": "7", "007.5": "7.5", "-0.5": "-0.5",
		"1234567890123456.78": "1234567890123456.78", "0.123456789012345678": "0.123456789012345678",
		"1e3": "1000", "1.5E+2": "150", "1.50e1": "15.0", "125e-2": "1.25", "-5e-3": "-0.005", "0e5": "0",
	} {
		d, err := zohohub.ParseDecimal(in)
		if err != nil || d.String() != want {
			t.Errorf("ParseDecimal(%q) = %q, %v; want %q", in, d.String(), err, want)
		}
	}
	for _, in := range []string{"", "-", "+", ".5", "5.", "1..2", "1.2.3", "1e", "1e+", "0x10", "1_000", " 1", "1 ", "NaN", "Inf", "1e401", "1e-999999999999"} {
		if d, err := zohohub.ParseDecimal(in); err == nil {
			t.Errorf("ParseDecimal(%q) = %v, want an error", in, d)
		}
	}
	if _, err := zohohub.ParseDecimal(strings.Repeat("9", 401)); err == nil {
		t.Error("a 401-digit number was accepted")
	}
	if d, _ := zohohub.ParseDecimal("0"); d != (zohohub.Decimal{}) {
		t.Error("ParseDecimal(\"0\") is not the zero Decimal")
	}
}

func TestDecimalConstructors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		n      int64
		places uint8
		want   string
	}{
		{125050, 2, "1250.50"}, {-5, 3, "-0.005"}, {0, 2, "0.00"}, {42, 0, "42"},
		{math.MinInt64, 0, "-9223372036854775808"}, {math.MaxInt64, 19, "0.9223372036854775807"},
	} {
		if got := zohohub.NewDecimal(tc.n, tc.places).String(); got != tc.want {
			t.Errorf("NewDecimal(%d, %d) = %s, want %s", tc.n, tc.places, got, tc.want)
		}
	}
	for f, want := range map[float64]string{0.1: "0.1", 1250.5: "1250.5", -2: "-2", 1e21: "1000000000000000000000", 5e-7: "0.0000005"} {
		d, err := zohohub.DecimalFromFloat(f)
		if err != nil || d.String() != want {
			t.Errorf("DecimalFromFloat(%v) = %s, %v; want %s", f, d, err, want)
		}
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := zohohub.DecimalFromFloat(f); err == nil {
			t.Errorf("DecimalFromFloat(%v) succeeded", f)
		}
	}
	if f := zohohub.MustParseDecimal("1250.25").Float64(); f != 1250.25 {
		t.Errorf("Float64 = %v", f)
	}
	if p := zohohub.MustParseDecimal("1250.50").Places(); p != 2 {
		t.Errorf("Places = %d", p)
	}
}

func TestDecimalCmp(t *testing.T) {
	t.Parallel()
	ordered := []string{"-1000", "-999.99", "-1.5", "-0.001", "0", "0.001", "0.1", "0.25", "1", "1.000001", "9.99", "10", "100.5"}
	for i, a := range ordered {
		for j, b := range ordered {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			if got := zohohub.MustParseDecimal(a).Cmp(zohohub.MustParseDecimal(b)); got != want {
				t.Errorf("Cmp(%s, %s) = %d, want %d", a, b, got, want)
			}
		}
	}
	for _, pair := range [][2]string{{"1.5", "1.50"}, {"0", "0.000"}, {"-2", "-2.0"}, {"10", "1e1"}} {
		a, b := zohohub.MustParseDecimal(pair[0]), zohohub.MustParseDecimal(pair[1])
		if !a.Equal(b) || a.Cmp(b) != 0 {
			t.Errorf("%s and %s are not equal", a, b)
		}
	}
	if s := zohohub.MustParseDecimal("-0.00").Sign(); s != 0 {
		t.Errorf("Sign(-0.00) = %d", s)
	}
	if !zohohub.MustParseDecimal("0.000").IsZero() || zohohub.MustParseDecimal("0.001").IsZero() {
		t.Error("IsZero")
	}
}

func TestDecimalJSON(t *testing.T) {
	t.Parallel()
	var v struct {
		A zohohub.Decimal
		B zohohub.Decimal
		C zohohub.Decimal
	}
	v.C = zohohub.MustParseDecimal("3")
	if err := json.Unmarshal([]byte(`{"A":1234567890123456.78,"B":"-0.10","C":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.String() != "1234567890123456.78" || v.B.String() != "-0.10" || v.C.String() != "3" {
		t.Errorf("decoded %s %s %s", v.A, v.B, v.C)
	}
	out, err := json.Marshal(v)
	if err != nil || string(out) != `{"A":1234567890123456.78,"B":-0.10,"C":3}` {
		t.Errorf("encoded %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"A":true}`), &v); err == nil {
		t.Error("a boolean decoded as a Decimal")
	}
	if err := json.Unmarshal([]byte(`{"A":"12abc"}`), &v); err == nil {
		t.Error("text decoded as a Decimal")
	}
}

// A Decimal keeps every digit of a currency value, where float64 rounds.
func ExampleDecimal() {
	amount := zohohub.MustParseDecimal("1234567890123456.78") // 16 digits and 2 places, as Zoho allows
	fmt.Println(amount, amount.Float64() == 1234567890123456.8)

	price := zohohub.NewDecimal(125050, 2)
	fmt.Println(price, price.Cmp(zohohub.MustParseDecimal("1250.5")), price.Places())
	// Output:
	// 1234567890123456.78 true
	// 1250.50 0 2
}
