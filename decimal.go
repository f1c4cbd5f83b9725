package zohohub

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Decimal is an exact decimal number, the value of a currency or decimal
// field without float64's rounding. Zoho keeps up to 16 digits and up to 9
// decimal places in such fields; float64 holds 15 to 16 significant digits,
// so 12345678901234.56 or 0.123456789012345678 do not survive a float64,
// while a Decimal keeps the digits Zoho sent, and sends the digits it holds.
//
// A Decimal is a number written in decimal: ParseDecimal("1250.50") keeps
// the two places of "1250.50". The zero Decimal is 0. Two Decimals are the
// same number when Cmp says 0 (or Equal says true): == compares how they
// are written, and "1.5" != "1.50". On the wire a Decimal is a JSON number;
// in a Bulk Read CSV, the cell's text. It has no arithmetic: convert to
// float64 with Float64, or hand String to a decimal arithmetic package.
type Decimal struct {
	// s is the canonical text: an optional "-", the integer digits without
	// leading zeros, and "." and the fraction digits when it has any. It
	// is "" for 0, so that the zero Decimal is 0 and ParseDecimal("0") ==
	// Decimal{}. A zero is never negative.
	s string
}

// maxDecimalDigits bounds the digits a Decimal holds once its exponent is
// written out: every float64 fits ("%f" of the smallest one has 325
// digits); "1e1000000" from a hostile server does not.
const maxDecimalDigits = 400

// errNotDecimal is why text is not a decimal number.
var errNotDecimal = errors.New("not a decimal number")

// ParseDecimal parses a decimal number: an optional sign, digits, an
// optional fraction and an optional exponent ("-1250.50", "1.2e3").
func ParseDecimal(s string) (Decimal, error) {
	d, err := parseDecimal(s)
	if err != nil {
		return Decimal{}, fmt.Errorf("zohohub: %q is %w", s, err)
	}
	return d, nil
}

// MustParseDecimal is ParseDecimal for constants in programs and tests: it
// panics when s is not a decimal number.
func MustParseDecimal(s string) Decimal {
	d, err := ParseDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// NewDecimal returns unscaled × 10^-places: NewDecimal(125050, 2) is
// 1250.50.
func NewDecimal(unscaled int64, places uint8) Decimal {
	neg := unscaled < 0
	mag := uint64(unscaled)
	if neg {
		mag = -mag // two's complement: right for math.MinInt64 too
	}
	digits := strconv.FormatUint(mag, 10)
	if n := int(places); n > 0 {
		if len(digits) <= n {
			digits = strings.Repeat("0", n-len(digits)+1) + digits
		}
		digits = digits[:len(digits)-n] + "." + digits[len(digits)-n:]
	}
	return canonicalDecimal(neg, digits)
}

// DecimalFromFloat returns the decimal that f prints as (the shortest text
// that reads back as f, as strconv.FormatFloat(f, 'f', -1, 64) writes it):
// DecimalFromFloat(0.1) is 0.1, not 0.1000000000000000055…. NaN and the
// infinities are errors.
func DecimalFromFloat(f float64) (Decimal, error) { return decimalFromFloat(f, 64) }

func decimalFromFloat(f float64, bits int) (Decimal, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Decimal{}, fmt.Errorf("zohohub: %v is not a decimal number", f)
	}
	return parseDecimal(strconv.FormatFloat(f, 'f', -1, bits))
}

// parseDecimal reads [+-]digits[.digits][(e|E)[+-]digits].
func parseDecimal(s string) (Decimal, error) {
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	digitsFrom := func() string {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return s[start:i]
	}
	intPart := digitsFrom()
	if intPart == "" {
		return Decimal{}, errNotDecimal
	}
	fracPart := ""
	if i < len(s) && s[i] == '.' {
		i++
		if fracPart = digitsFrom(); fracPart == "" {
			return Decimal{}, errNotDecimal
		}
	}
	exp := 0
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := i < len(s) && s[i] == '-'
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		e := digitsFrom()
		if e == "" {
			return Decimal{}, errNotDecimal
		}
		n, err := strconv.Atoi(e)
		if err != nil || n > maxDecimalDigits {
			return Decimal{}, fmt.Errorf("%w (exponent out of range)", errNotDecimal)
		}
		if exp = n; expNeg {
			exp = -n
		}
	}
	if i != len(s) {
		return Decimal{}, errNotDecimal
	}
	if len(intPart)+len(fracPart)+max(exp, -exp) > maxDecimalDigits {
		return Decimal{}, fmt.Errorf("%w (more than %d digits)", errNotDecimal, maxDecimalDigits)
	}
	if exp != 0 {
		intPart, fracPart = shiftPoint(intPart+fracPart, len(intPart)+exp)
	}
	zero := strings.Trim(intPart, "0") == "" && strings.Trim(fracPart, "0") == ""
	if exp == 0 && s[0] != '+' && (intPart == "0" || intPart[0] != '0') && !(zero && (neg || fracPart == "")) {
		return Decimal{s: s}, nil // already canonical, as Zoho writes numbers: no copy
	}
	if fracPart != "" {
		return canonicalDecimal(neg, intPart+"."+fracPart), nil
	}
	return canonicalDecimal(neg, intPart), nil
}

// shiftPoint places the decimal point after the first point digits of
// digits (before them when point is negative, after trailing zeros when
// it is beyond them).
func shiftPoint(digits string, point int) (intPart, fracPart string) {
	switch {
	case point <= 0:
		return "0", strings.Repeat("0", -point) + digits
	case point >= len(digits):
		return digits + strings.Repeat("0", point-len(digits)), ""
	}
	return digits[:point], digits[point:]
}

// canonicalDecimal builds a Decimal from unsigned "int[.frac]" text:
// leading zeros go, a zero loses its sign, and 0 is "".
func canonicalDecimal(neg bool, text string) Decimal {
	intPart, frac, _ := strings.Cut(text, ".")
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	if intPart == "0" && strings.Trim(frac, "0") == "" {
		neg = false
		if frac == "" {
			return Decimal{}
		}
	}
	var b strings.Builder
	b.Grow(len(text) + 1)
	if neg {
		b.WriteByte('-')
	}
	b.WriteString(intPart)
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return Decimal{s: b.String()}
}

// String returns d in decimal notation, with the places it was given:
// "1250.50", "-3", "0".
func (d Decimal) String() string {
	if d.s == "" {
		return "0"
	}
	return d.s
}

// Float64 returns the float64 nearest to d.
func (d Decimal) Float64() float64 {
	f, _ := strconv.ParseFloat(d.String(), 64) // canonical text always parses; huge values give ±Inf
	return f
}

// IsZero reports whether d is 0 (written with any number of places).
func (d Decimal) IsZero() bool { return d.Sign() == 0 }

// Sign returns -1, 0 or +1 as d is negative, zero or positive.
func (d Decimal) Sign() int {
	switch {
	case strings.Trim(d.s, "0.") == "":
		return 0
	case d.s[0] == '-':
		return -1
	}
	return 1
}

// Places returns the number of digits after the decimal point as d is
// written: 2 for 1250.50.
func (d Decimal) Places() int {
	_, frac, _ := strings.Cut(d.s, ".")
	return len(frac)
}

// significantPlaces returns the decimal places d needs: 1 for 1250.50.
func (d Decimal) significantPlaces() int {
	_, frac, _ := strings.Cut(d.s, ".")
	return len(strings.TrimRight(frac, "0"))
}

// Cmp compares d and e as numbers: -1 when d < e, 0 when they are equal
// (1.5 and 1.50 are), +1 when d > e.
func (d Decimal) Cmp(e Decimal) int {
	ds, es := d.Sign(), e.Sign()
	switch {
	case ds != es:
		if ds < es {
			return -1
		}
		return 1
	case ds == 0:
		return 0
	}
	c := cmpMagnitude(strings.TrimPrefix(d.s, "-"), strings.TrimPrefix(e.s, "-"))
	return c * ds
}

// Equal reports whether d and e are the same number.
func (d Decimal) Equal(e Decimal) bool { return d.Cmp(e) == 0 }

// cmpMagnitude compares two unsigned canonical decimals.
func cmpMagnitude(a, b string) int {
	ai, af, _ := strings.Cut(a, ".")
	bi, bf, _ := strings.Cut(b, ".")
	if len(ai) != len(bi) { // no leading zeros: the longer integer part is larger
		if len(ai) < len(bi) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(ai, bi); c != 0 {
		return c
	}
	for i := range max(len(af), len(bf)) {
		x, y := byte('0'), byte('0')
		if i < len(af) {
			x = af[i]
		}
		if i < len(bf) {
			y = bf[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// MarshalText returns d's String.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a decimal number, as ParseDecimal.
func (d *Decimal) UnmarshalText(b []byte) error {
	v, err := ParseDecimal(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// MarshalJSON writes d as a JSON number with its places: 1250.50.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalJSON reads a JSON number, or a number in a JSON string, without
// going through float64; null leaves d unchanged.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	s, err := numberText(b)
	if err != nil {
		return fmt.Errorf("zohohub: decimal: %w", err)
	}
	return d.UnmarshalText([]byte(s))
}

// DecimalField is a currency or decimal field whose Go values are
// Decimals (zhgen -decimal=exact, the default). It is a NumberField, with
// the same operators.
type DecimalField = NumberField[Decimal]

// decimalLit writes d with its places, as Zoho reads a number.
func decimalLit(d Decimal) literal { return literal{text: d.String()} }
