package main

import (
	"errors"
	"flag"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"output", "output", 0}, {"outptu", "output", 1}, {"otuput", "output", 1},
		{"outpt", "output", 1}, {"outputt", "output", 1}, {"oputput", "output", 1},
		{"timeuot", "timeout", 1}, {"dryrun", "dry-run", 1}, {"abc", "", 3}, {"ca", "abc", 3},
	} {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestFlagSuggestions(t *testing.T) {
	var cfg config
	fs := newFlagSet(&cfg)
	for typed, want := range map[string]string{
		"outptu":  "unknown flag -outptu: did you mean -output?",
		"OUTPUT":  "unknown flag -OUTPUT: did you mean -output?",
		"dryrun":  "unknown flag -dryrun: did you mean -dry-run?",
		"limt":    "unknown flag -limt: did you mean -limit?",
		"max":     "unknown flag -max: did you mean -max-image-size, -max-size or -max-tags?",
		"nocache": "unknown flag -nocache: did you mean -no-cache?",
		"jsno":    "unknown flag -jsno: did you mean -json?",
		"x":       "unknown flag -x: did you mean -o, -q or -v?",
		"nosuch":  "unknown flag -nosuch",
	} {
		err := flagError(fs, errors.New("flag provided but not defined: -"+typed))
		if err == nil || err.Error() != want {
			t.Errorf("-%s: %v, want %q", typed, err, want)
		}
	}
	if err := flagError(fs, flag.ErrHelp); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("ErrHelp became %v", err)
	}
	other := errors.New(`invalid value "x" for flag -jobs: parse error`)
	if err := flagError(fs, other); err != other {
		t.Errorf("another error became %v", err)
	}
}

func TestParseArgs(t *testing.T) {
	var cfg config
	fs := newFlagSet(&cfg)
	feeds, err := parseArgs(fs, []string{"a.xml", "-o", "out", "b.xml", "-q", "--", "-c.xml", "-v"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.xml", "b.xml", "-c.xml", "-v"}; !reflect.DeepEqual(feeds, want) {
		t.Errorf("feeds %q, want %q", feeds, want)
	}
	if cfg.output != "out" || !cfg.quiet || cfg.verbose {
		t.Errorf("flags: output %q quiet %v verbose %v", cfg.output, cfg.quiet, cfg.verbose)
	}
	_, err = parseArgs(newFlagSet(&cfg), []string{"x.xml", "-outptu", "o"})
	if err == nil || !strings.Contains(err.Error(), "did you mean -output?") {
		t.Errorf("-outptu after a feed: %v", err)
	}
}

func TestOptionsConflicts(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-q", "-v"}, "-q and -v cannot go together"},
		{[]string{"-jobs", "0"}, "-jobs must be 1 or more"},
		{[]string{"-timeout", "0s"}, "-timeout must be positive"},
		{[]string{"-max-size", "0"}, "-max-size must be positive"},
		{[]string{"-date-format", "today"}, "has no Go layout element"},
		{[]string{"-since", "soon"}, "give a date"},
	} {
		var cfg config
		if _, err := parseArgs(newFlagSet(&cfg), c.args); err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.options(now); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.args, err, c.want)
		}
	}
	var cfg config
	if _, err := parseArgs(newFlagSet(&cfg), []string{"-q", "-json", "-dry-run"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.options(now); err != nil {
		t.Errorf("-q -json -dry-run: %v", err)
	}
}
