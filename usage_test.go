package main

import (
	"bytes"
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReadmeFlagTable compares the README's flag table with the flags the
// command registers, so that neither can drift: the same names, and each
// default as -h prints it.
func TestReadmeFlagTable(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	name := regexp.MustCompile("`-([a-z-]+)`")
	documented := map[string]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		if !strings.HasPrefix(line, "| `-") {
			continue
		}
		cells := strings.Split(strings.ReplaceAll(line, `\|`, "/"), "|")
		if len(cells) < 4 {
			continue
		}
		def := strings.TrimSpace(cells[2])
		for _, n := range name.FindAllStringSubmatch(cells[1], -1) {
			documented[n[1]] = def
		}
	}
	var cfg config
	fs := newFlagSet(&cfg)
	fs.VisitAll(func(f *flag.Flag) {
		def, ok := documented[f.Name]
		if !ok {
			t.Errorf("-%s is not in the README's flag table", f.Name)
			return
		}
		delete(documented, f.Name)
		cell := strings.Fields(def + " x")[0]
		if q, ok := strings.CutPrefix(def, "`"); ok {
			cell, _, _ = strings.Cut(q, "`") // a default with a space: `32 MiB`
		}
		switch f.DefValue {
		case "false":
			if def != "off" {
				t.Errorf("-%s: README default %q, want off", f.Name, def)
			}
		case "", "0":
		default:
			if cell == f.DefValue {
				return
			}
			a, errA := time.ParseDuration(cell)
			b, errB := time.ParseDuration(f.DefValue)
			if errA != nil || errB != nil || a != b {
				t.Errorf("-%s: README default %q, -h says %q", f.Name, def, f.DefValue)
			}
		}
	})
	delete(documented, "h") // -h and --help are the flag package's own
	delete(documented, "-help")
	for n := range documented {
		t.Errorf("the README documents -%s, which the command does not have", n)
	}
	// -h prints every flag and the two examples.
	var usage bytes.Buffer
	fs = newFlagSet(&cfg)
	printUsage(&usage, fs)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(usage.String(), "  -"+f.Name) {
			t.Errorf("-h does not list -%s", f.Name)
		}
	})
	if strings.Count(usage.String(), "feed2md -o content/posts") != 2 {
		t.Errorf("-h does not show two examples:\n%s", usage.String())
	}
}
