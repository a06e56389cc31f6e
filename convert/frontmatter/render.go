package frontmatter

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"feed2md/templates"

	"go.yaml.in/yaml/v3"
)

// FrontMatter is the data a front-matter template receives for one item.
// The embedded template writes the keys of FORMAT.md from it; a user's
// template (-template) may use every field.
type FrontMatter struct {
	Title       string    // plain-text title, with FORMAT.md's fallbacks
	Date        string    // the date as the -date-format layout writes it
	Time        time.Time // the same date as a time, in the output zone
	Description string    // plain-text description, or the start of the content
	Summary     string    // Description escaped for Markdown (SummaryText): Hugo shows it as exactly that text
	Slug        string    // the slug, as in the file name
	Image       string    // absolute image URL, or ""
	Link        string    // absolute item link, or ""
	Source      string    // the feed's URL, or its self link for a file
	Categories  []string  // one entry: the host of Source (else of Link)
	Tags        []string  // tags from the title
	Draft       bool      // true with -draft
	GUID        string    // the item's GUID or Atom id, or ""
	Author      string    // the first author's name, or ""
	FeedTitle   string    // the feed's title as plain text

	Aliases        []string    // with -aliases: the old path of the item's link on the feed's own host
	Enclosures     []Enclosure // the item's enclosures (podcast audio, attachments), URLs absolute
	ItemCategories []string    // the item's own categories, as the feed wrote them
	Authors        []string    // the names of the item's authors, as plain text
	Content        string      // the body as written into the file (a user's template only)
	FullText       bool        // the body is the article of the item's page (-fulltext), not the feed's
	Updated        time.Time   // when the item was last updated; zero when the feed does not say

	// Theme is the Hugo theme of convert.Options.Theme (one of Themes), or "":
	// the embedded template then also writes the keys that theme reads
	// for the image. A user's template given with a theme must use it.
	Theme string
	// ThemeImage is Image as the keys of a theme carry it: with the
	// characters that Hugo's resource matching reads as a pattern ([, ],
	// {, }, \) percent-encoded, since a pattern that does not compile
	// stops a site's build; "" without an image.
	ThemeImage string
	// Images is Hugo's images key, read by its social-card templates:
	// ThemeImage when it is an absolute URL, else empty.
	Images []string
}

// Enclosure is a file attached to an item: RSS enclosure, Atom
// link rel="enclosure", JSON Feed attachment.
type Enclosure struct {
	URL    string // absolute http(s) URL
	Type   string // its MIME type as the feed gives it, or ""
	Length int64  // its size in bytes as the feed gives it; 0 when unknown
}

// TemplateFuncs returns the functions available to front-matter
// templates: dq and sq quote a string as a YAML double- or single-quoted
// scalar that reads back as exactly that string.
func TemplateFuncs() template.FuncMap {
	return template.FuncMap{"dq": doubleQuote, "sq": SingleQuote, "terms": Terms}
}

// ParseTemplate parses a front-matter template from fsys, with
// TemplateFuncs, and checks it by executing it on sample data, so that a
// bad template is reported before any feed is read: the output must be a
// whole front matter, from its "---" line to its closing "---" line, that
// a YAML parser reads as a mapping, also when the feed's text holds
// quotes, colons, '#' and the like (values written without dq or sq).
func ParseTemplate(fsys fs.FS, name string) (*template.Template, error) {
	t, err := template.New(name).Funcs(TemplateFuncs()).Option("missingkey=error").ParseFS(fsys, name)
	if err != nil {
		return nil, err
	}
	sample := FrontMatter{
		Title: "Sample", Date: "2006-01-02", Time: time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC),
		Description: "d", Summary: "d", Slug: "sample", Link: "https://example.com/a",
		Source: "https://example.com/feed", Categories: []string{"example.com"}, Tags: []string{"sample"},
		Enclosures:     []Enclosure{{URL: "https://example.com/a.mp3", Type: "audio/mpeg", Length: 1}},
		ItemCategories: []string{"Sample"}, Authors: []string{"A. Writer"}, Content: "<p>d</p>",
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, &sample); err != nil {
		return nil, err
	}
	if err := checkFrontMatter(buf.Bytes()); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	// Every text a feed gives, as hostile as YAML allows on one line.
	hostile := sample
	// Each holds ": " twice, which no plain scalar may.
	hostile.Title = `"Quoted": it's: #1 {a} [b]`
	hostile.Description = `- a: b: #c`
	hostile.Summary = hostile.Description
	hostile.Link = `https://example.com/it's: "x": #c`
	hostile.Image = `https://example.com/i.png?x=1: 'y': #z`
	hostile.Source = `https://example.com/feed?q=a: b: c`
	hostile.Categories = []string{`World: "politics": #1`}
	hostile.Author = `@someone: *bold*: & !tag`
	hostile.FeedTitle = `%YAML: {x}: y`
	hostile.GUID = `tag:example.com,2026:'1': #2`
	buf.Reset()
	if err := t.Execute(&buf, &hostile); err != nil {
		return nil, err
	}
	if err := checkFrontMatter(buf.Bytes()); err != nil {
		return nil, fmt.Errorf("%s: for a feed whose text holds quotes, colons or '#', %v: write every value with dq or sq, e.g. title: {{dq .Title}}", name, err)
	}
	return t, nil
}

// checkFrontMatter reports what keeps out from being a whole YAML front
// matter: a "---" line, a YAML mapping, a closing "---" line.
func checkFrontMatter(out []byte) error {
	if !bytes.HasPrefix(out, []byte("---\n")) {
		return errors.New("the output must start with a line \"---\"")
	}
	end := bytes.Index(out[3:], []byte("\n---\n"))
	if end < 0 {
		return errors.New("the output has no closing line \"---\" (ending with a line break) after the front matter")
	}
	var m map[string]any
	if err := yaml.Unmarshal(out[4:3+end+1], &m); err != nil {
		return fmt.Errorf("the front matter is not valid YAML (%v)", err)
	}
	return nil
}

// Render writes one file: the front matter, then the body (trimmed, or
// empty) and one final newline after it.
func Render(t *template.Template, fm *FrontMatter, body string) ([]byte, error) {
	if cats, cut := capTerms(fm.Categories); cut {
		capped := *fm
		capped.Categories = cats
		fm = &capped
	}
	var buf bytes.Buffer
	buf.Grow(1024 + len(body))
	if err := t.Execute(&buf, fm); err != nil {
		return nil, err
	}
	if body != "" {
		buf.WriteString(body)
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// capTerms returns categories cut to MaxNameBytes each, at a rune
// boundary, in a new slice when one was cut (cut reports it): Hugo makes a
// folder of every category, as of every tag, and a host name taken from a
// feed's own link may be longer than any folder name. A -category was
// checked at start (convert.Options.Check).
func capTerms(terms []string) (capped []string, cut bool) {
	for i, t := range terms {
		if len(t) > MaxNameBytes {
			capped = append([]string(nil), terms...)
			for j := i; j < len(capped); j++ {
				capped[j] = capBytes(capped[j], MaxNameBytes)
			}
			return capped, true
		}
	}
	return terms, false
}

// doubleQuote returns s as a YAML double-quoted scalar: backslash and
// double quote escaped, and every character YAML does not allow as is (C0
// and C1 controls, DEL, U+2028, U+2029, U+FEFF, U+FFFE, U+FFFF) written as
// an escape. Invalid UTF-8 becomes U+FFFD.
func doubleQuote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '"':
			b.WriteString(`\"`)
		case 0:
			b.WriteString(`\0`)
		case '\a':
			b.WriteString(`\a`)
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\v':
			b.WriteString(`\v`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case 0x1b:
			b.WriteString(`\e`)
		case 0x85:
			b.WriteString(`\N`)
		case 0x2028:
			b.WriteString(`\L`)
		case 0x2029:
			b.WriteString(`\P`)
		default:
			switch {
			case r < 0x20 || (r >= 0x7f && r <= 0x9f):
				fmt.Fprintf(&b, `\x%02X`, r)
			case r == 0xFEFF || r == 0xFFFE || r == 0xFFFF:
				fmt.Fprintf(&b, `\u%04X`, r)
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// SingleQuote returns s as a YAML single-quoted scalar, with ' doubled. A
// string that a single-quoted scalar cannot hold exactly (a line break, a
// tab, a control character) is written double-quoted instead, so the
// result always reads back as s.
func SingleQuote(s string) string {
	if !utf8.ValidString(s) || strings.ContainsFunc(s, needsEscape) {
		return doubleQuote(s)
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// needsEscape reports characters that only a double-quoted scalar keeps.
func needsEscape(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0x2028 || r == 0x2029 ||
		r == 0xFEFF || r == 0xFFFE || r == 0xFFFF
}

// IsDefaultLayout reports whether t is the embedded front-matter template
// (compared by its parsed form), which RenderDefault writes without
// text/template's reflection.
func IsDefaultLayout(t *template.Template) bool {
	def, err := ParseTemplate(templates.FS, templates.FrontMatter)
	if err != nil || def.Tree == nil || t.Tree == nil {
		return false
	}
	return t.Tree.Root.String() == def.Tree.Root.String()
}

// RenderDefault appends to b exactly what the embedded template and render
// write, a few times faster; FuzzDefaultLayout holds the two together.
func RenderDefault(b []byte, fm *FrontMatter, body string) []byte {
	b = append(b, "---\ntitle: "...)
	b = append(b, doubleQuote(fm.Title)...)
	b = append(b, "\ndate: "...)
	b = append(b, fm.Date...)
	b = append(b, "\ndescription: "...)
	desc := doubleQuote(fm.Description)
	b = append(b, desc...)
	b = append(b, "\nsummary: "...)
	if fm.Summary == fm.Description {
		b = append(b, desc...)
	} else {
		b = append(b, doubleQuote(fm.Summary)...)
	}
	b = append(b, "\nslug: "...)
	b = append(b, doubleQuote(fm.Slug)...)
	b = append(b, "\nimage: "...)
	b = append(b, SingleQuote(fm.Image)...)
	b = append(b, "\nlink: "...)
	b = append(b, SingleQuote(fm.Link)...)
	b = append(b, "\nsource: "...)
	b = append(b, SingleQuote(fm.Source)...)
	b = append(b, "\ncategories:"...)
	cats, _ := capTerms(fm.Categories)
	for _, c := range cats {
		b = append(b, "\n- "...)
		b = append(b, SingleQuote(c)...)
	}
	b = append(b, "\ntags:"...)
	for _, t := range fm.Tags {
		b = append(b, "\n- "...)
		b = append(b, SingleQuote(t)...)
	}
	if len(fm.Aliases) > 0 {
		b = append(b, "\naliases:"...)
		for _, a := range fm.Aliases {
			b = append(b, "\n- "...)
			b = append(b, SingleQuote(a)...)
		}
	}
	b = appendThemeKeys(b, fm)
	b = append(b, "\n\ndraft: "...)
	if fm.Draft {
		b = append(b, "true"...)
	} else {
		b = append(b, "false"...)
	}
	b = append(b, "\n---\n"...)
	if body != "" {
		b = append(b, body...)
		b = append(b, '\n')
	}
	return b
}
