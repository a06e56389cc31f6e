package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// readme returns README.md.
func readme(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// codeBlocks returns the fenced code blocks of the README section whose
// heading is heading, in order.
func codeBlocks(t *testing.T, text, heading string) []string {
	t.Helper()
	i := strings.Index(text, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("the README has no section %q", heading)
	}
	section := text[i+len(heading)+2:]
	if j := regexp.MustCompile(`\n#{1,2} `).FindStringIndex(section); j != nil {
		section = section[:j[0]]
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?s)```[a-z]*\n(.*?)```").FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// TestReadmeLinks: every relative link of the README, and every file of
// the repository it names (a path under one of its folders), exists.
func TestReadmeLinks(t *testing.T) {
	text := readme(t)
	checked := 0
	check := func(path, why string) {
		checked++
		path = strings.TrimRight(path, ".,:;)")
		if strings.ContainsAny(path, "*?[") {
			if m, _ := filepath.Glob(path); len(m) > 0 {
				return
			}
		} else if _, err := os.Stat(path); err == nil {
			return
		}
		t.Errorf("the README %s %s, which does not exist", why, path)
	}
	for _, m := range regexp.MustCompile(`\]\(([^)\s]+)\)`).FindAllStringSubmatch(text, -1) {
		target := m[1]
		if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
			continue
		}
		check(strings.SplitN(target, "#", 2)[0], "links to")
	}
	// Paths under the repository's own folders, wherever they appear.
	for _, m := range regexp.MustCompile(`(?:^|[\s(\x60'"])((?:\.ci|convert|docs|templates|testdata)/[A-Za-z0-9_./*-]*[A-Za-z0-9_*])`).FindAllStringSubmatch(text, -1) {
		check(m[1], "names")
	}
	if checked < 8 {
		t.Errorf("only %d links and paths found: the patterns no longer match the README", checked)
	}
}

// TestReadmeFirstCommands: the section "First commands" has exactly two
// commands, the first converts a feed of testdata without network and
// prints what the README shows, the second runs the tests.
func TestReadmeFirstCommands(t *testing.T) {
	text := readme(t)
	blocks := codeBlocks(t, text, "## First commands")
	if len(blocks) < 2 {
		t.Fatalf("%d code blocks in First commands, want the commands and their output", len(blocks))
	}
	cmds := strings.Split(strings.TrimSpace(blocks[0]), "\n")
	if len(cmds) != 2 {
		t.Fatalf("First commands has %d commands, want 2: %q", len(cmds), cmds)
	}
	if cmds[1] != "go test ./..." {
		t.Errorf("the second command is %q, want go test ./...", cmds[1])
	}
	args := strings.Fields(cmds[0])
	if len(args) < 3 || args[0] != "go" || args[1] != "run" || args[2] != "." {
		t.Fatalf("the first command is %q, want go run . ...", cmds[0])
	}
	args = args[3:]
	// Run it into a temporary folder instead of the README's.
	out := t.TempDir()
	var readmeOut string
	for i, a := range args {
		if a == "-o" && i+1 < len(args) {
			readmeOut, args[i+1] = args[i+1], out
		}
	}
	if readmeOut == "" {
		t.Fatalf("the first command has no -o: %q", cmds[0])
	}
	for _, a := range args {
		if strings.HasPrefix(a, "testdata/") {
			if _, err := os.Stat(a); err != nil {
				t.Errorf("the first command's feed: %v", err)
			}
		} else if strings.Contains(a, "://") {
			t.Errorf("the first command needs the network: %q", a)
		}
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	var stdout, stderr bytes.Buffer
	if code := feed2md(context.Background(), args, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got := strings.ReplaceAll(stdout.String()+stderr.String(), out, readmeOut)
	if want := blocks[1]; got != want {
		t.Errorf("the first command prints\n%s\nthe README shows\n%s", got, want)
	}
	// And the README's line about a second run.
	stdout.Reset()
	stderr.Reset()
	feed2md(context.Background(), args, nil, &stdout, &stderr)
	line := strings.TrimSpace(stderr.String())
	if i := strings.Index(line, ": "); i < 0 || !strings.Contains(text, "`"+line[i+2:]+"`") {
		t.Errorf("a second run prints %q, which the README does not show", line)
	}
}

// TestReadmeHugoQuickStart runs the README's Hugo quick start with the
// installed Hugo: the theme is a local stand-in (no network), the feed
// a testdata file, "hugo server" a build. The theme line must land in
// the configuration file that holds the site's title, whichever Hugo
// made (config.toml before 0.112, hugo.toml since), and the post must
// be built.
func TestReadmeHugoQuickStart(t *testing.T) {
	hugo := hugoBin(t)
	blocks := codeBlocks(t, readme(t), "## Hugo quick start")
	if len(blocks) == 0 {
		t.Fatal("no code block in the Hugo quick start")
	}
	script := blocks[0]
	theme := t.TempDir()
	for name, text := range hugoLayouts {
		p := filepath.Join(theme, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, r := range []struct{ re, with string }{
		{`git init && git submodule add \S+ themes/ananke`, `cp -r "$THEME" themes/ananke`},
		{`https://example\.com/feed\.xml`, `"$FEED"`},
		{`(?m)^hugo server$`, `"$HUGO" --quiet --buildFuture`},
		{`(?m)^hugo new site`, `"$HUGO" new site`},
	} {
		re := regexp.MustCompile(r.re)
		if n := len(re.FindAllString(script, -1)); n != 1 {
			t.Fatalf("the quick start has %d matches of %s, want 1: update this test with the README", n, r.re)
		}
		script = re.ReplaceAllLiteralString(script, r.with)
	}
	dir := t.TempDir()
	cmd := exec.Command("sh", "-euc", "feed2md() { FEED2MD_RUN_MAIN=1 \"$TESTBIN\" \"$@\"; }\n"+script)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "THEME="+theme, "FEED="+mustAbs("testdata/foxnews-latest.xml"),
		"HUGO="+hugo, "TESTBIN="+os.Args[0], "XDG_CACHE_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the quick start failed: %v\n%s\n%s", err, script, out)
	}
	site := filepath.Join(dir, "mysite")
	var config []byte
	for _, name := range []string{"hugo.toml", "config.toml"} {
		if data, err := os.ReadFile(filepath.Join(site, name)); err == nil {
			if config != nil {
				t.Errorf("both hugo.toml and config.toml exist")
			}
			config = data
		}
	}
	if !bytes.Contains(config, []byte("title")) || !bytes.Contains(config, []byte("theme = 'ananke'")) {
		t.Errorf("the site's configuration lost its title or has no theme:\n%s", config)
	}
	page, err := os.ReadFile(filepath.Join(site, "public/posts/witkoff-and-kushner-scheduled-to-meet-putin-in-moscow/index.html"))
	if err != nil {
		t.Fatalf("the post was not built: %v\n%s", err, out)
	}
	if !bytes.Contains(page, []byte("Witkoff and Kushner scheduled to meet Putin in Moscow")) {
		t.Errorf("the post's page has no title:\n%s", page)
	}
}

// TestFormatCopy: docs/FORMAT.md is the spec the project was given,
// ../shared/spec/FORMAT.md, byte for byte.
func TestFormatCopy(t *testing.T) {
	spec, err := os.ReadFile("../shared/spec/FORMAT.md")
	if err != nil {
		if os.IsNotExist(err) {
			t.Skip("SKIPPED: ../shared/spec/FORMAT.md is missing: cannot check that docs/FORMAT.md is a copy of it")
		}
		t.Fatal(err)
	}
	copied, err := os.ReadFile("docs/FORMAT.md")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(spec, copied) {
		t.Error("docs/FORMAT.md differs from ../shared/spec/FORMAT.md: copy the spec again (cp ../shared/spec/FORMAT.md docs/)")
	}
}

// TestReadmeJSONExample: each line of the README's -json example is what
// the command would write for it: decoded into the report's type with no
// unknown key and encoded again, it comes out byte for byte.
func TestReadmeJSONExample(t *testing.T) {
	blocks := codeBlocks(t, readme(t), "## `-json`")
	if len(blocks) == 0 {
		t.Fatal("no example in the README's -json section")
	}
	lines := strings.Split(strings.TrimSpace(blocks[0]), "\n")
	if len(lines) < 2 {
		t.Fatalf("the example has %d lines, want a converted feed and a failed one", len(lines))
	}
	for _, line := range lines {
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		var j jsonFeed
		if err := dec.Decode(&j); err != nil {
			t.Errorf("%v in %s", err, line)
			continue
		}
		again, err := json.Marshal(j)
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != line {
			t.Errorf("the README shows\n%s\nthe command writes\n%s", line, again)
		}
	}
}
