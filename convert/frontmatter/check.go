package frontmatter

import (
	"errors"
	"feed2md/convert/body"
	"feed2md/convert/fetch"
	"fmt"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// CheckValues reports a value of the options that would reach the front
// matter as something Hugo or a YAML parser cannot read (see
// convert.Options.Check).
func CheckValues(dateFormat string, loc *time.Location, categories []string, source, theme string, tmpl *template.Template) error {
	if dateFormat != "" && dateFormat != defaultDateLayout {
		if err := checkDateLayout(dateFormat, loc); err != nil {
			return err
		}
	}
	for _, c := range categories {
		if err := checkText("category", c); err != nil {
			return err
		}
		if len(c) > MaxNameBytes {
			return fmt.Errorf("category %q: %d bytes, more than %d: Hugo makes a folder of it, and file systems cap names", capBytes(c, 40)+"…", len(c), MaxNameBytes)
		}
		if Term(c) == "" {
			why := "a browser reads its page's link (percent escapes decoded, up to '#') as categories/ itself or a folder above; write the name without escapes"
			if !hasLetterOrDigit(body.PlainText(c)) {
				why = "it has no letter or digit, and Hugo makes no page of such a term or puts it outside categories/; give a name with letters or digits"
			}
			return fmt.Errorf("category %q makes no taxonomy term: %s", c, why)
		}
	}
	if source != "" {
		// Messages show the source without credentials (RedactURL).
		if err := checkText("source", fetch.RedactURL(source)); err != nil {
			return err
		}
		if err := checkText("source", source); err != nil {
			return errors.New("source: the user name, password or a secret parameter holds a control character or is not UTF-8")
		}
		src, err := fetch.ParseSource(source)
		if err != nil || src.URL == nil {
			return fmt.Errorf("source %q: not an http(s) URL", fetch.RedactURL(source))
		}
	}
	if theme != "" {
		if err := checkTheme(theme, tmpl); err != nil {
			return err
		}
	}
	return nil
}

// defaultDateLayout is the date key's layout of FORMAT.md.
const defaultDateLayout = "2006-01-02"

// checkText reports a value that is empty, not UTF-8, or holds a control
// character: quoting would keep it valid YAML, but not what was meant.
func checkText(what, s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return fmt.Errorf("empty %s", what)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s %q is not UTF-8", what, s)
	case strings.ContainsFunc(s, needsEscape):
		return fmt.Errorf("%s %q holds a control character", what, s)
	}
	return nil
}

// hugoDateLayouts are the layouts Hugo 0.111 parses a front-matter date
// string with (spf13/cast's StringToDate, tried in this order). Hugo's
// YAML library hands timestamps over as strings, so these are all there
// is; a date Hugo cannot parse shows as 0001-01-01. Each has whether it
// carries a zone (without one, Hugo reads the time in UTC).
var hugoDateLayouts = []struct {
	layout string
	zone   bool
}{
	{time.RFC3339, true},
	{"2006-01-02T15:04:05", false},
	{time.RFC1123Z, true},
	{time.RFC1123, true},
	{time.RFC822Z, true},
	{time.RFC822, true},
	{time.RFC850, true},
	{"2006-01-02 15:04:05.999999999 -0700 MST", true},
	{"2006-01-02T15:04:05-0700", true},
	{"2006-01-02 15:04:05Z0700", true},
	{"2006-01-02 15:04:05", false},
	{time.ANSIC, false},
	{time.UnixDate, true},
	{time.RubyDate, true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02", false},
	{"02 Jan 2006", false},
	{"2006-01-02 15:04:05 -07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{time.Kitchen, false},
	{time.Stamp, false},
	{time.StampMilli, false},
	{time.StampMicro, false},
	{time.StampNano, false},
}

// HugoParseDate parses s as Hugo reads a front-matter date string in a
// site without a timeZone (UTC).
func HugoParseDate(s string) (time.Time, bool) {
	return HugoParseDateIn(s, time.UTC)
}

// dateSamples are the times a custom layout is tried on: one and two
// digit fields, fractions, offsets with no zone name (as feeds give
// them), behind and ahead of UTC.
var dateSamples = []time.Time{
	time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	time.Date(2026, 11, 25, 23, 59, 59, 123456789, time.FixedZone("", -5*3600)),
	time.Date(2025, 7, 9, 0, 30, 0, 0, time.FixedZone("", 5*3600+1800)),
}

// checkDateLayout tries a date layout on sample dates (in loc when set,
// as items are): each must be one plain YAML scalar, written as is, that
// Hugo parses back to the same day.
func checkDateLayout(layout string, loc *time.Location) error {
	for _, t := range dateSamples {
		if loc != nil {
			t = t.In(loc)
		}
		s := t.Format(layout)
		if s == layout {
			return fmt.Errorf("date format %q has no Go layout element: write the reference date, e.g. 2006-01-02", layout)
		}
		if err := plainScalar(s); err != nil {
			return fmt.Errorf("date format %q writes %q, %v: use date, rfc3339, or a layout Hugo reads, such as 2006-01-02T15:04:05Z07:00 or 02 Jan 2006", layout, s, err)
		}
		got, ok := HugoParseDate(s)
		if !ok || got.Year() != t.Year() || got.Month() != t.Month() || got.Day() != t.Day() {
			why := "which Hugo does not read as a date (it would show 0001-01-01)"
			if ok {
				why = fmt.Sprintf("which Hugo reads as %s", got.Format("2006-01-02"))
			}
			return fmt.Errorf("date format %q writes %q for %s, %s: use date, rfc3339, or a layout Hugo reads, such as 2006-01-02T15:04:05Z07:00 or 02 Jan 2006",
				layout, s, t.Format("2006-01-02"), why)
		}
	}
	return nil
}

// plainScalar reports why s, written unquoted after "date: ", would not
// read back as exactly s.
func plainScalar(s string) error {
	var doc yaml.Node
	if strings.ContainsAny(s, "\r\n") {
		return errors.New("more than one line")
	}
	if err := yaml.Unmarshal([]byte("date: "+s+"\n"), &doc); err != nil {
		return errors.New("which is not valid YAML")
	}
	if len(doc.Content) != 1 || len(doc.Content[0].Content) != 2 {
		return errors.New("which YAML does not read as one value")
	}
	v := doc.Content[0].Content[1]
	switch {
	case v.Kind == yaml.ScalarNode && v.Style == 0 && v.Value == s && (v.Tag == "!!str" || v.Tag == "!!timestamp"):
		return nil
	case v.Kind == yaml.ScalarNode && v.Value != s && strings.Contains(s, " #"):
		return errors.New(`which YAML cuts at " #" (a comment)`)
	case v.Tag == "!!int" || v.Tag == "!!float":
		return errors.New("which YAML reads as a number (Hugo would count seconds from 1970)")
	}
	return errors.New("which YAML reads as something else than that text")
}
