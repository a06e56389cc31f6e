package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// The values of a -config file: TOML values as flag arguments, paths,
// and ${NAME} in headers.

// pathFlags are the keys whose values are paths: relative ones are
// relative to the configuration file's folder, so that a cron job run
// from anywhere finds them (a command-line flag's are relative to the
// working folder, as always).
var pathFlags = map[string]bool{"output": true, "template": true, "stopwords": true}

// relative resolves a relative path of the file against its folder.
func (f *configFile) relative(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(f.path), p)
}

// flagValues turns a TOML value into the arguments of its flag, or says
// which type the flag wants (a boolean flag's, true or false).
func flagValues(name string, v tomlValue) ([]string, error) {
	got := kindName(v.kind)
	if fl := newFlagSet(new(config)).Lookup(name); fl != nil && isBoolFlag(fl) {
		if v.kind != unstable.Bool {
			return nil, fmt.Errorf("want true or false, got %s", got)
		}
		return []string{v.data}, nil
	}
	switch name {
	case "limit", "max-tags":
		if v.kind != unstable.Integer {
			return nil, fmt.Errorf("want an integer, got %s", got)
		}
		return integerValue(v.data)
	case "max-size", "max-image-size", "max-page-size":
		if v.kind == unstable.Integer {
			return integerValue(v.data)
		}
		if v.kind != unstable.String {
			return nil, fmt.Errorf("want a size, a string such as \"32MiB\" or an integer of bytes, got %s", got)
		}
	case "category":
		return categoryValues(v)
	case "since":
		if v.kind != unstable.String && v.kind < unstable.LocalDate { // a TOML date or time: as written
			return nil, fmt.Errorf("want a string such as \"7d\" or a date, got %s", got)
		}
	default:
		if v.kind != unstable.String {
			return nil, fmt.Errorf("want a string, got %s", got)
		}
	}
	return []string{v.data}, nil
}

// integerValue turns a TOML integer (1_000, 0x10) into a decimal argument.
func integerValue(s string) ([]string, error) {
	n, err := strconv.ParseInt(s, 0, 64)
	if err != nil {
		return nil, fmt.Errorf("%s is out of range", s)
	}
	return []string{strconv.FormatInt(n, 10)}, nil
}

// categoryValues reads category: a string, or an array of strings.
func categoryValues(v tomlValue) ([]string, error) {
	items := v.items
	if v.kind != unstable.Array {
		items = []tomlValue{v}
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it.kind != unstable.String {
			in := map[bool]string{true: " in the array"}[v.kind == unstable.Array]
			return nil, fmt.Errorf("want a string or an array of strings, got %s%s", kindName(it.kind), in)
		}
		out = append(out, it.data)
	}
	return out, nil
}

// isBoolFlag reports whether a flag takes no value.
func isBoolFlag(fl *flag.Flag) bool {
	b, ok := fl.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// expandEnv replaces each ${NAME} of s with lookup(NAME); a missing variable is an error naming it
// (never the value); only ${NAME} with NAME of [A-Za-z_][A-Za-z0-9_]* is read: no $NAME, no shell,
// no default syntax; "$$" or a lone "$" stays as is.
func expandEnv(s string, lookup func(string) (string, bool)) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '$' { // "$$" stays, and its second "$" starts nothing
			b.WriteString("$$")
			i++
			continue
		}
		end := strings.IndexByte(s[i+1:], '}')
		if s[i+1] != '{' || end < 0 || !envName(s[i+2:i+1+end]) {
			b.WriteByte('$')
			continue
		}
		name := s[i+2 : i+1+end]
		v, ok := lookup(name)
		if !ok {
			return "", fmt.Errorf("${%s}: environment variable %s is not set", name, name)
		}
		b.WriteString(v)
		i += 1 + end
	}
	return b.String(), nil
}

// envName reports whether s is a variable name [A-Za-z_][A-Za-z0-9_]*.
func envName(s string) bool {
	for i, c := range []byte(s) {
		letter := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return s != ""
}
