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
		"max":     "unknown flag -max: did you mean -max-image-size, -max-page-size, -max-size or -max-tags?",
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

// TestSizeAndDurationFlags holds every size, duration and age flag to one
// rule: negative is refused, zero is refused where it makes no sense
// (-lock-wait 0, do not wait, is accepted), and each refusal is one line
// that quotes the value, names the flag and gives an example with a unit.
func TestSizeAndDurationFlags(t *testing.T) {
	for _, c := range []struct {
		flag, value string
		want        string // the error, "" when accepted
		check       func(config) bool
	}{
		{"-max-size", "10", "", func(c config) bool { return c.maxSize == 10 && c.maxSizeSet }},
		{"-max-size", "1.5MB", "", func(c config) bool { return c.maxSize == 1500000 }},
		{"-max-size", "32 MiB", "", func(c config) bool { return c.maxSize == 32<<20 }},
		{"-max-size", "0", `invalid value "0" for flag -max-size: a feed of 0 B is no feed: give a size such as 32MiB`, nil},
		{"-max-size", "0.1", `invalid value "0.1" for flag -max-size: a feed of 0 B is no feed`, nil},
		{"-max-size", "-1MiB", `invalid value "-1MiB" for flag -max-size: a size cannot be negative: give one such as 32MiB`, nil},
		{"-max-size", "lots", `invalid value "lots" for flag -max-size: "lots" is not a size such as 32MiB`, nil},
		{"-max-image-size", "1KiB", "", func(c config) bool { return c.maxImageSize == 1024 }},
		{"-max-image-size", "0", `invalid value "0" for flag -max-image-size: an image of 0 B is no image: give a size such as 20MiB, or leave out -images download to download none`, nil},
		{"-max-image-size", "-5", `invalid value "-5" for flag -max-image-size: a size cannot be negative`, nil},
		{"-timeout", "2m", "", func(c config) bool { return c.timeout == 2*time.Minute }},
		{"-timeout", "0", `invalid value "0" for flag -timeout: a duration of 0 makes no sense here: give one such as 30s`, nil},
		{"-timeout", "0s", `invalid value "0s" for flag -timeout: a duration of 0 makes no sense here`, nil},
		{"-timeout", "-1s", `invalid value "-1s" for flag -timeout: a duration cannot be negative: give one such as 30s`, nil},
		{"-timeout", "30", `invalid value "30" for flag -timeout: "30" is not a duration such as 30s (units: ms, s, m, h)`, nil},
		{"-lock-wait", "0", "", func(c config) bool { return c.lockWait == 0 }},
		{"-lock-wait", "200ms", "", func(c config) bool { return c.lockWait == 200*time.Millisecond }},
		{"-lock-wait", "-1s", `invalid value "-1s" for flag -lock-wait: a duration cannot be negative: give one such as 10m`, nil},
		{"-lock-wait", "soon", `invalid value "soon" for flag -lock-wait: "soon" is not a duration such as 10m (units: ms, s, m, h)`, nil},
		{"-max-page-size", "2MiB", "", func(c config) bool { return c.maxPageSize == 2<<20 }},
		{"-max-page-size", "0", `invalid value "0" for flag -max-page-size: a page of 0 B is no page: give a size such as 5MiB, or leave out -fulltext to fetch none`, nil},
		{"-max-page-size", "-1", `invalid value "-1" for flag -max-page-size: a size cannot be negative`, nil},
		{"-prune", "30d", "", func(c config) bool { return c.prune == 30*24*time.Hour }},
		{"-prune", "72h", "", func(c config) bool { return c.prune == 72*time.Hour }},
		{"-prune", "0", `invalid value "0" for flag -prune: an age of 0 would remove every file the moment its item leaves the feed: give one such as 30d`, nil},
		{"-prune", "-3d", `invalid value "-3d" for flag -prune: an age cannot be negative: give one such as 30d`, nil},
		{"-prune", "40000d", `invalid value "40000d" for flag -prune: an age of more than 100 years keeps every file: leave out -prune`, nil},
		{"-prune", "1.5d", `invalid value "1.5d" for flag -prune: "1.5d" is not an age such as 30d or 72h`, nil},
	} {
		t.Run(c.flag+"="+c.value, func(t *testing.T) {
			var cfg config
			_, err := parseArgs(newFlagSet(&cfg), []string{c.flag, c.value, "x.xml"})
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case c.want == "" && !c.check(cfg):
				t.Errorf("accepted, but the config is %+v", cfg)
			case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want) || strings.Contains(err.Error(), "\n")):
				t.Errorf("err %v\nwant %s…", err, c.want)
			}
			if c.want == "" {
				if _, err := cfg.options(time.Now()); err != nil {
					t.Errorf("options: %v", err)
				}
			}
		})
	}
	// The defaults as -h prints them: with their units.
	var cfg config
	fs := newFlagSet(&cfg)
	for name, want := range map[string]string{"max-size": "32 MiB", "max-image-size": "20 MiB", "timeout": "30s", "lock-wait": "10m"} {
		if got := fs.Lookup(name).DefValue; got != want {
			t.Errorf("-%s default %q, want %q", name, got, want)
		}
	}
}
