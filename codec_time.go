package zohohub

import "time"

// Zoho writes every datetime as "2006-01-02T15:04:05-07:00". Reading that
// form straight from the JSON bytes, with a zone from a fixed table, costs
// no allocation; time.Parse costs two (the string and a fixed zone). Any
// other form goes through parseDateTime.

// fixedZones holds a location for every offset a quarter-hour multiple
// between -14:00 and +14:00, as time.Parse would fabricate it. It is
// filled once, at init, and only read afterwards.
var fixedZones = func() (z [2*14*4 + 1]*time.Location) {
	for i := range z {
		z[i] = time.FixedZone("", (i-14*4)*15*60)
	}
	return z
}()

// parseWireTime reads b, a JSON string's inner bytes, when it is in
// Zoho's exact datetime form, with the same result as time.Parse
// (time.RFC3339): the local zone when the offset is the one it has at that
// instant, else a fixed zone. ok is false for any other form.
func parseWireTime(b []byte) (t time.Time, ok bool) {
	if len(b) != len(wireTimeLayout) || b[4] != '-' || b[7] != '-' || b[10] != 'T' || b[13] != ':' || b[16] != ':' ||
		b[22] != ':' || (b[19] != '+' && b[19] != '-') {
		return time.Time{}, false
	}
	num := func(i, n int) int {
		v := 0
		for _, c := range b[i : i+n] {
			if c < '0' || c > '9' {
				return -1
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 2), num(8, 2)
	hour, minute, sec := num(11, 2), num(14, 2), num(17, 2)
	zh, zm := num(20, 2), num(23, 2)
	if year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour < 0 || hour > 23 || minute < 0 || minute > 59 || sec < 0 || sec > 59 || zh < 0 || zh > 14 || zm < 0 || zm > 59 || zm%15 != 0 {
		return time.Time{}, false
	}
	offset := zh*3600 + zm*60
	if b[19] == '-' {
		offset = -offset
	}
	if offset > 14*3600 || offset < -14*3600 {
		return time.Time{}, false
	}
	t = time.Date(year, time.Month(month), day, hour, minute, sec, 0, time.UTC).Add(-time.Duration(offset) * time.Second)
	if _, local := t.In(time.Local).Zone(); local == offset {
		return t.In(time.Local), true
	}
	return t.In(fixedZones[offset/(15*60)+14*4]), true
}

// daysIn returns the number of days of month m of year y.
func daysIn(m time.Month, y int) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
