package main

import (
	"bytes"
	"cmp"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2/unstable"
	"golang.org/x/net/http/httpguts"

	"feed2md/convert"
	"feed2md/convert/fetch"
)

// configKeys are the keys of [defaults] and [[feed]] that set a flag: the
// flags that shape a feed's output, by their long names.
var configKeys = []string{
	"output", "body", "raw", "bundle", "draft", "images", "max-image-size", "aliases",
	"tags", "max-tags", "stopwords", "category", "source", "template", "theme",
	"date-format", "timezone", "limit", "since", "max-size", "fulltext", "max-page-size", "prune",
}

// feedConfig is one [[feed]] of a -config file, its options resolved.
type feedConfig struct {
	url     string            // as written (a URL or a path)
	line    int               // the line of its [[feed]] header
	cfg     config            // the flag config of this feed: flag defaults, then [defaults], then the feed's keys, then the command line's explicit flags
	headers map[string]string // its request headers as written, ${NAME} not yet expanded ([defaults] headers merged under the feed's)
	opts    convert.Options   // cfg's options (config.options), made when the file is read
}

// tomlValue is a value of the file, copied out of the parser (whose nodes
// live until its next expression only).
type tomlValue struct {
	kind  unstable.Kind
	data  string      // a scalar's text: a string unescaped, a number or date as written
	items []tomlValue // an array's elements
}

// configEntry is one option key of a section.
type configEntry struct {
	key  string // as written, for messages
	name string // the flag it sets
	line int
	val  tomlValue
}

// configSection is [defaults] or one [[feed]].
type configSection struct {
	line    int // of its header; 0 for a [defaults] never written
	url     *configEntry
	entries []configEntry
	headers []configEntry  // key: the header's name, val: its value
	seen    map[string]int // key (its flag name) → its line
}

// configFile is a parsed -config file, before its feeds are resolved.
type configFile struct {
	path     string
	defaults configSection
	feeds    []*configSection
}

// loadConfig reads path and returns its feeds, in file order. cmdline is the command line's flag
// arguments (the -config flag itself may be among them; feeds/positional args are not); every flag
// it gives explicitly overrides the file, for every feed.
func loadConfig(path string, cmdline []string) ([]feedConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-config: %v", err)
	}
	f, err := parseConfig(path, data)
	if err != nil {
		return nil, err
	}
	return f.resolve(cmdline)
}

// errorf returns an error "FILE:LINE: message".
func (f *configFile) errorf(line int, format string, args ...any) error {
	return fmt.Errorf("%s:%d: %s", f.path, line, fmt.Sprintf(format, args...))
}

// parseConfig reads the sections of a -config file and checks its keys
// and tables; values are checked when the feeds are resolved.
func parseConfig(path string, data []byte) (*configFile, error) {
	f := &configFile{path: path, defaults: configSection{seen: map[string]int{}}}
	var p unstable.Parser
	p.Reset(data)
	var cur *configSection // nil before the first table
	inHeaders := false     // in [defaults.headers] or [feed.headers]
	for p.NextExpression() {
		e := p.Expression()
		var err error
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			cur, inHeaders, err = f.table(&p, e)
		case unstable.KeyValue:
			err = f.keyValue(&p, e, cur, inHeaders)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := p.Error(); err != nil {
		return nil, f.errorf(syntaxLine(data, err), "syntax error: %v", err)
	}
	return f, nil
}

// syntaxLine returns the line of a parser error's highlight, a slice of data.
func syntaxLine(data []byte, err error) int {
	off := len(data)
	var perr *unstable.ParserError
	if errors.As(err, &perr) && perr.Highlight != nil {
		off = min(max(cap(data)-cap(perr.Highlight), 0), len(data))
	}
	return bytes.Count(data[:off], []byte("\n")) + 1
}

// keyParts returns the parts of a node's (possibly dotted) key, and the
// line it starts on.
func keyParts(p *unstable.Parser, n *unstable.Node) ([]string, int) {
	var parts []string
	line := 0
	for it := n.Key(); it.Next(); {
		k := it.Node()
		if line == 0 {
			line = p.Shape(k.Raw).Start.Line
		}
		parts = append(parts, string(k.Data))
	}
	return parts, line
}

// table starts the section a table header names: [defaults], [[feed]], or
// their headers table.
func (f *configFile) table(p *unstable.Parser, e *unstable.Node) (*configSection, bool, error) {
	parts, line := keyParts(p, e)
	name, array := strings.Join(parts, "."), e.Kind == unstable.ArrayTable
	switch {
	case name == "feed" && array:
		f.feeds = append(f.feeds, &configSection{line: line, seen: map[string]int{}})
		return f.feeds[len(f.feeds)-1], false, nil
	case name == "defaults" && !array:
		if f.defaults.line != 0 {
			return nil, false, f.errorf(line, "[defaults] given twice (first on line %d)", f.defaults.line)
		}
		f.defaults.line = line
		return &f.defaults, false, nil
	case name == "defaults.headers" && !array:
		return &f.defaults, true, nil
	case name == "feed.headers" && !array && len(f.feeds) > 0:
		return f.feeds[len(f.feeds)-1], true, nil
	case name == "feed":
		return nil, false, f.errorf(line, "unknown table [feed]: write [[feed]], one for each feed")
	}
	format := map[bool]string{false: "[%s]", true: "[[%s]]"}[array]
	return nil, false, f.errorf(line, "unknown table "+format+": use [defaults] or [[feed]]", name)
}

// keyValue records one key of the current section.
func (f *configFile) keyValue(p *unstable.Parser, e *unstable.Node, cur *configSection, inHeaders bool) error {
	parts, line := keyParts(p, e)
	key := strings.Join(parts, ".")
	switch {
	case cur == nil:
		return f.errorf(line, "%s: a key outside [defaults] and [[feed]]", key)
	case inHeaders:
		return f.header(cur, parts, e.Value(), line)
	case len(parts) > 1 && parts[0] == "headers":
		return f.header(cur, parts[1:], e.Value(), line)
	}
	name := strings.ReplaceAll(key, "_", "-")
	if prev, ok := cur.seen[name]; ok && name != "headers" {
		return f.errorf(line, "%s: given twice (first on line %d)", key, prev)
	}
	cur.seen[name] = line
	v := e.Value()
	switch {
	case name == "headers" && v.Kind != unstable.InlineTable:
		return f.errorf(line, "%s: want a table such as { Authorization = \"Bearer ${TOKEN}\" }, got %s", key, kindName(v.Kind))
	case name == "headers":
		for it := v.Children(); it.Next(); {
			hparts, hline := keyParts(p, it.Node())
			if err := f.header(cur, hparts, it.Node().Value(), hline); err != nil {
				return err
			}
		}
		return nil
	case name == "url" && cur == &f.defaults:
		return f.errorf(line, "%s: only a [[feed]] has a url", key)
	case name == "url":
		cur.url = &configEntry{key: key, name: name, line: line, val: copyValue(v)}
		return nil
	case !slices.Contains(configKeys, name):
		return f.unknownKey(line, key)
	}
	cur.entries = append(cur.entries, configEntry{key: key, name: name, line: line, val: copyValue(v)})
	return nil
}

// unknownKey returns the error of a key that is no option, naming the
// closest ones.
func (f *configFile) unknownKey(line int, key string) error {
	known := append(slices.Clone(configKeys), "url", "headers")
	near := closest(strings.ReplaceAll(key, "_", "-"), known)
	if len(near) == 0 {
		return f.errorf(line, "%s: unknown key", key)
	}
	return f.errorf(line, "%s: unknown key: did you mean %s?", key, orList(near))
}

// header records one request header, its key's parts (one) and its
// value; the value is never in a message.
func (f *configFile) header(cur *configSection, parts []string, v *unstable.Node, line int) error {
	name := strings.Join(parts, ".")
	if len(parts) != 1 || !httpguts.ValidHeaderFieldName(name) {
		return f.errorf(line, "headers: %q is not a header name", name)
	}
	if v.Kind != unstable.String {
		return f.errorf(line, "headers: %s: want a string, got %s", name, kindName(v.Kind))
	}
	value := string(v.Data)
	if strings.ContainsAny(value, "\r\n\x00") {
		return f.errorf(line, "headers: %s: the value has a line break or a NUL byte", name)
	}
	for _, h := range cur.headers {
		if strings.EqualFold(h.key, name) {
			return f.errorf(line, "headers: %s: given twice (first on line %d)", name, h.line)
		}
	}
	cur.headers = append(cur.headers, configEntry{key: name, line: line, val: tomlValue{kind: v.Kind, data: value}})
	return nil
}

// copyValue copies a value node out of the parser.
func copyValue(n *unstable.Node) tomlValue {
	v := tomlValue{kind: n.Kind, data: string(n.Data)}
	if n.Kind == unstable.Array {
		for it := n.Children(); it.Next(); {
			v.items = append(v.items, copyValue(it.Node()))
		}
	}
	return v
}

// kindNames name the TOML types for messages; the rest are dates.
var kindNames = map[unstable.Kind]string{unstable.String: "a string", unstable.Bool: "a boolean",
	unstable.Integer: "an integer", unstable.Float: "a float", unstable.Array: "an array",
	unstable.InlineTable: "a table"}

// kindName names a TOML type for a message.
func kindName(k unstable.Kind) string { return cmp.Or(kindNames[k], "a date") }

// resolve gives each feed its config: the flag defaults, then [defaults],
// then the feed's keys, then the command line's explicit flags, each value
// set through the flag set so that every check of the flags applies.
// -config itself, among them, sets nothing a feed's config reads.
func (f *configFile) resolve(cmdline []string) ([]feedConfig, error) {
	sfs := newFlagSet(new(config))
	if _, err := parseArgs(sfs, cmdline); err != nil {
		return nil, err
	}
	explicit := map[string]bool{}
	sfs.Visit(func(fl *flag.Flag) { explicit[fl.Name] = true })
	if explicit["o"] {
		explicit["output"] = true
	}
	if len(f.feeds) == 0 {
		return nil, f.errorf(1, "no [[feed]]: give at least one, with its url")
	}
	feeds := make([]feedConfig, 0, len(f.feeds))
	for _, sec := range f.feeds {
		fc, err := f.resolveFeed(sec, cmdline, explicit)
		if err != nil {
			return nil, err
		}
		feeds = append(feeds, fc)
	}
	return feeds, nil
}

// resolveFeed resolves one [[feed]]; explicit names the flags the command
// line (args) gives.
func (f *configFile) resolveFeed(sec *configSection, args []string, explicit map[string]bool) (feedConfig, error) {
	fc := feedConfig{line: sec.line, headers: map[string]string{}}
	switch {
	case sec.url == nil:
		return fc, f.errorf(sec.line, "[[feed]] has no url: give url = \"https://…\" or a path")
	case sec.url.val.kind != unstable.String:
		return fc, f.errorf(sec.url.line, "%s: want a string, got %s", sec.url.key, kindName(sec.url.val.kind))
	case strings.TrimSpace(sec.url.val.data) == "":
		return fc, f.errorf(sec.url.line, "%s: empty: give the feed's URL or path", sec.url.key)
	}
	fc.url = sec.url.val.data
	if u, err := fetch.ParseSource(fc.url); err == nil && u.URL == nil && !u.Stdin {
		fc.url = f.relative(fc.url) // a file feed
	}
	fs := newFlagSet(&fc.cfg)
	from := map[string]configEntry{} // flag name → the key that set it
	_, feedCategory := sec.seen["category"]
	for i, e := range slices.Concat(f.defaults.entries, sec.entries) {
		isDefault := i < len(f.defaults.entries)
		if e.name == "category" && (explicit["category"] || isDefault && feedCategory) {
			continue // a list replaces the list below it
		}
		if err := f.apply(fs, e); err != nil {
			return fc, err
		}
		from[e.name] = e
	}
	if _, err := parseArgs(fs, args); err != nil {
		return fc, err
	}
	for name := range explicit {
		delete(from, name)
	}
	var err error
	if fc.opts, err = fc.cfg.options(time.Now()); err != nil {
		return fc, f.optionsError(fc, from, err)
	}
	for _, h := range slices.Concat(f.defaults.headers, sec.headers) {
		maps.DeleteFunc(fc.headers, func(name, _ string) bool { return strings.EqualFold(name, h.key) })
		fc.headers[h.key] = h.val.data
	}
	return fc, nil
}

// optionsError places an error of cfg.options: on the key that set the
// flag it names (its message starts "-NAME"), else on the feed.
func (f *configFile) optionsError(fc feedConfig, from map[string]configEntry, err error) error {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "-"); ok {
		i := strings.IndexAny(rest, " :")
		if i > 0 {
			if e, ok := from[rest[:i]]; ok {
				return f.errorf(e.line, "%s: %s", e.key, strings.TrimLeft(rest[i:], " :"))
			}
		}
	}
	return f.errorf(fc.line, "feed %s: %s", fetch.RedactURL(fc.url), msg)
}

// apply sets the flag of an entry to its value, checking its TOML type.
func (f *configFile) apply(fs *flag.FlagSet, e configEntry) error {
	values, err := flagValues(e.name, e.val)
	if err != nil {
		return f.errorf(e.line, "%s: %v", e.key, err)
	}
	for _, v := range values {
		if pathFlags[e.name] {
			v = f.relative(v)
		}
		if err := fs.Set(e.name, v); err != nil {
			return f.errorf(e.line, "%s: %v", e.key, err)
		}
	}
	return nil
}
