// Package frontmattertest holds what the tests of the front-matter stage
// and the end-to-end tests share: DateForms, the date strings real feeds
// write and the moment each means; GoodLayouts and BadLayouts, the
// -date-format layouts Hugo reads back and those it does not; and
// FrontMatter, which reads a written file's front matter back with a YAML
// parser and checks its keys against FORMAT.md's (LayoutKeys). It is test
// support, like
// net/http/httptest; the command never imports it.
package frontmattertest

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// DateForms are date strings as real feeds write them and the moment each
// means, in the offset written (worked out by hand). A date without a
// zone is UTC, as gofeed and Hugo read it. Want "" means unreadable.
var DateForms = []struct{ In, Want string }{
	// The four of issue 18, from real feeds.
	{"2018-01-06T08:00", "2018-01-06T08:00:00Z"},
	{"Sat Oct 06 2018 00:00:00 GMT", "2018-10-06T00:00:00Z"},
	{"2020/1/10 14:33:00", "2020-01-10T14:33:00Z"},
	{"Mon, 21 Jan 2008 8:56 am PST", "2008-01-21T08:56:00-08:00"},
	// Their kin.
	{"2018-01-06T08:00:00", "2018-01-06T08:00:00Z"},
	{"2018-01-06 08:00", "2018-01-06T08:00:00Z"},
	{"2018-01-06T08:00:00.250", "2018-01-06T08:00:00Z"}, // the fraction is kept, RFC 3339 does not show it
	{"06 Jan 2018", "2018-01-06T00:00:00Z"},
	{"January 6, 2018", "2018-01-06T00:00:00Z"},
	{"January 6th, 2018", "2018-01-06T00:00:00Z"},
	{"Jan 6, 2018 8:00 PM EST", "2018-01-06T20:00:00-05:00"},
	{"Jan 6, 2018, 8:00pm", "2018-01-06T20:00:00Z"},
	{"2018-01-06T08:00+02:00", "2018-01-06T08:00:00+02:00"},
	{"2018-01-06T08:00Z", "2018-01-06T08:00:00Z"},
	{"2018-01-06 08:00 -05", "2018-01-06T08:00:00-05:00"},
	{"Sat, 06 Jan 18 08:00 GMT", "2018-01-06T08:00:00Z"},           // RFC 822: two-digit year, no seconds
	{"Sat, 06 Jan 18 08:00:00 +0530", "2018-01-06T08:00:00+05:30"}, // RFC 822 with an offset
	{"6 jan 2018 08:00:00 +0100", "2018-01-06T08:00:00+01:00"},     // lower-case month
	{"SAT, 06 JAN 2018 08:00:00 GMT", "2018-01-06T08:00:00Z"},
	{"Sat Oct 06 2018 00:00:00 GMT+0200 (Central European Summer Time)", "2018-10-06T00:00:00+02:00"},
	{"Sat Oct 06 2018 09:30:00 GMT-0700 (Pacific Daylight Time)", "2018-10-06T09:30:00-07:00"},
	{"Sun, 20 Apr 2014 8:19 pm CEST", "2014-04-20T20:19:00+02:00"},
	{"Mon, 02 Jan 2006 15:04:05 JST", "2006-01-02T15:04:05+09:00"},
	{"Mon, 02 Jan 2006 15:04:05 IST", "2006-01-02T15:04:05+05:30"},
	{"Sat, 06 Jan 2018 08:00:00 +0100 GMT", "2018-01-06T08:00:00+01:00"}, // the offset wins over the name
	{"Sat Jan  6 08:00:00 2018", "2018-01-06T08:00:00Z"},                 // ANSI C
	{"2018.01.06", "2018-01-06T00:00:00Z"},
	{"06.01.2018 08:00", "2018-01-06T08:00:00Z"}, // day first, as with dots
	{"2018-1-6 8:00 PM", "2018-01-06T20:00:00Z"},
	{"13/1/2020", "2020-01-13T00:00:00Z"},                            // only day-first is a date
	{"1/13/2020 2:33 PM", "2020-01-13T14:33:00Z"},                    // only month-first is a date
	{"1/1/2020", "2020-01-01T00:00:00Z"},                             // both readings agree
	{"Seg, 24 Set 2018 19:22:00 -0300", "2018-09-24T19:22:00-03:00"}, // Portuguese
	{"24 de setembro de 2018", "2018-09-24T00:00:00Z"},
	{"Mar, 24 Sep 2018 10:00:00 +0200", "2018-09-24T10:00:00+02:00"}, // Spanish Tuesday, not March
	{"Di, 5. März 2019 10:00:00 +0100", "2019-03-05T10:00:00+01:00"},
	{"5 févr. 2019", "2019-02-05T00:00:00Z"},
	// Zones east of UTC that gofeed reads as UTC, and Unix's date with
	// its zone before the year.
	{"Mon, 21 Jan 2008 07:56:00 HKT", "2008-01-21T07:56:00+08:00"},
	{"Mon, 21 Jan 2008 07:56:00 SGT", "2008-01-21T07:56:00+08:00"},
	{"Mon, 21 Jan 2008 07:56:00 WIB", "2008-01-21T07:56:00+07:00"},
	{"Mon, 21 Jan 2008 07:56 ICT", "2008-01-21T07:56:00+07:00"},
	{"Mon, 21 Jan 2008 7:56 am PHT", "2008-01-21T07:56:00+08:00"},
	{"Mon Jan 21 08:56:00 JST 2008", "2008-01-21T08:56:00+09:00"},
	{"Mon Jan 21 08:56:00 PST 2008", "2008-01-21T08:56:00-08:00"},
	{"Mon Jan 02 15:04:05 -0700 2006", "2006-01-02T15:04:05-07:00"}, // Ruby's
	// A zone nobody knows: UTC+14, the earliest moment it can mean.
	{"Mon, 21 Jan 2008 07:56:00 XYZ", "2008-01-21T07:56:00+14:00"},
	{"Mon, 21 Jan 2008 16:30:00 XYZ", "2008-01-21T16:30:00+14:00"},
	{"Mon Jan 21 08:56:00 XYZ 2008", "2008-01-21T08:56:00+14:00"},
	{"Mon, 21 Jan 2008 8:56 pm Q", "2008-01-21T20:56:00+14:00"},
	{"Mon, 21 Jan 2008 07:56:00 +0800 HKT", "2008-01-21T07:56:00+08:00"}, // the offset wins
	{"Jan 21, 2008 8:56 PM ET", "2008-01-21T20:56:00-04:00"},             // the daylight offset: never later
	{"Jan 21, 2008 8:56 AM PT", "2008-01-21T08:56:00-07:00"},
	// Unreadable: never guessed.
	{"", ""},
	{"yesterday", ""},
	{"not a date at all", ""},
	{"2018-13-45", ""},
	{"32 Jan 2018", ""},
	{"1/10/2020 14:33", ""}, // January 10 or October 1
	{"2018-01-06T25:00", ""},
	{"2018-01-06T08:00+25:00", ""},
	{"Mon, 21 Jan 2008 XYZ", ""}, // no clock: not a zone
	{"Mon, 21 Jan 2008 07:56:00 TOOLONG", ""},
}

func XMLEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// GoodLayouts and BadLayouts are date layouts Hugo reads back to the
// written day, and layouts it does not: checked against Hugo 0.111 itself
// by frontmatter's TestHugoReadsDatesAsChecked.
var (
	GoodLayouts = []string{
		time.RFC3339, time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05 -0700",
		"2006-01-02 15:04:05 -07:00", "2006-01-02 15:04:05", "02 Jan 2006", time.RFC1123Z,
		time.RFC1123, time.RFC822Z, time.ANSIC, "2006-01-02T15:04:05.000Z07:00",
	}
	BadLayouts = []string{
		"2006: 01", "2006-01-02 #x", "2006-01-02 # comment", "2006/01/02", "20060102", "Jan 2, 2006",
		"15:04", "2006-01-02t15:04:05Z07:00", "2006-1-2", "2006-01-02 15:04 MST", "[2006-01-02]",
		"'2006-01-02'", "2006-01-02 15:04:05.999 -0700 -0700", "yesterday", "Monday", time.UnixDate,
	}
)

// LayoutKeys are the keys of FORMAT.md, in order.
var LayoutKeys = []string{"title", "date", "description", "summary", "slug", "image", "link", "source", "categories", "tags", "draft"}

// FrontMatter splits a written file into its front matter, parsed with a
// YAML parser, and its body. It fails the test when the file does not
// have the layout of FORMAT.md.
func FrontMatter(t testing.TB, data []byte) (map[string]any, string) {
	t.Helper()
	m, keys, body := FrontMatterKeys(t, data)
	if strings.Join(keys, ",") != strings.Join(LayoutKeys, ",") {
		t.Fatalf("keys %v, want %v", keys, LayoutKeys)
	}
	return m, body
}

// FrontMatterKeys splits a written file into its front matter, parsed
// with a YAML parser, its keys in order, and its body. It fails the test
// when the file has no front matter that YAML reads.
func FrontMatterKeys(t testing.TB, data []byte) (map[string]any, []string, string) {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("---\n")) {
		t.Fatalf("file does not start with ---:\n%s", data)
	}
	end := bytes.Index(data[4:], []byte("\n---\n"))
	if end < 0 {
		t.Fatalf("no closing ---:\n%s", data)
	}
	block := data[4 : 4+end+1]
	var m map[string]any
	if err := yaml.Unmarshal(block, &m); err != nil {
		t.Fatalf("front matter is not valid YAML: %v\n%s", err, block)
	}
	var node yaml.Node
	if err := yaml.Unmarshal(block, &node); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for i := 0; i < len(node.Content[0].Content); i += 2 {
		keys = append(keys, node.Content[0].Content[i].Value)
	}
	return m, keys, string(data[4+end+5:])
}
