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

	"go.yaml.in/yaml/v3"
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

// TestReadmeHugoQuickStart runs the README's Hugo quick start literally
// with the installed Hugo and the real Ananke v2.9.2 of
// ../shared/themes/ananke: only the steps that need the network change
// (the submodule is a copy of that folder, the tag it checks out is the
// one the copy is at, the feed a testdata file, "hugo server" a build).
// The theme line must land in the configuration file that holds the
// site's title, whichever Hugo made (config.toml before 0.112, hugo.toml
// since); the post's page, the home page (with the item's image and
// summary) and the tag pages must be built.
func TestReadmeHugoQuickStart(t *testing.T) {
	hugo := hugoBin(t)
	themes := sharedThemes(t)
	blocks := codeBlocks(t, readme(t), "## Hugo quick start")
	if len(blocks) == 0 {
		t.Fatal("no code block in the Hugo quick start")
	}
	script := blocks[0]
	// The tag the README checks out is the copy's release.
	tag := regexp.MustCompile(`(?m)^git -C themes/ananke checkout -q (v[0-9.]+)`).FindStringSubmatch(script)
	if tag == nil {
		t.Fatal("the quick start does not check out an Ananke release: update this test with the README")
	}
	shared, err := os.ReadFile(filepath.Join(themes, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^\| ananke \|.*\| ` + regexp.QuoteMeta(tag[1]) + ` \|`).Match(shared) {
		t.Fatalf("the README checks out Ananke %s, which ../shared/themes/ananke is not", tag[1])
	}
	for _, r := range []struct{ re, with string }{
		{`git submodule add \S+ themes/ananke`, `cp -R "$THEME" themes/ananke && chmod -R u+w themes/ananke`},
		{`(?m)^git -C themes/ananke checkout -q v[0-9.]+`, `:`},
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
	// botframework.xml: three posts, two with an image.
	cmd.Env = append(os.Environ(), "THEME="+filepath.Join(themes, "ananke"), "FEED="+mustAbs("testdata/botframework.xml"),
		"HUGO="+hugo, "TESTBIN="+os.Args[0], "XDG_CACHE_HOME="+t.TempDir(),
		"GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
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
	const (
		slug  = "more-ways-to-make-smart-bots"
		title = "More Ways to Make Smart Bots"
		img   = "http://blog.botframework.com/images/12-13-2016-smart-bots/1qna_faqtobot.png"
	)
	page := readPage(t, site, "posts/"+slug+"/index.html")
	_, cards := pageImages(t, page)
	// The body shows the same image: the header is the theme's.
	header := regexp.MustCompile(`<header class="cover[^>]*style="background-image: url\('([^']*)'\)`).FindSubmatch(page)
	if !bytes.Contains(page, []byte(title)) || header == nil || string(header[1]) != img || !cards["og:image "+img] {
		t.Errorf("the post's page lacks its title, its image in the header or its og:image (header %q, cards %v)", header, keys(cards))
	}
	home := readPage(t, site, "index.html")
	shown, _ := pageImages(t, home)
	if !bytes.Contains(home, []byte(title)) || !shown[img] || !bytes.Contains(home, []byte("/posts/"+slug+"/")) {
		t.Errorf("the home page lacks the post, its link or its image (images %v)", keys(shown))
	}
	fm := yamlFile(t, filepath.Join(site, "content", "posts", slug+".md"))
	if words := strings.Fields(fm.Summary); len(words) < 3 || !strings.Contains(pageText(string(home)), strings.Join(words[:3], " ")) {
		t.Errorf("the home page lacks the summary %q", fm.Summary)
	}
	tags := pageText(string(readPage(t, site, "tags/index.html")))
	for _, tag := range fm.Tags {
		if !strings.Contains(strings.ToLower(tags), strings.ToLower(tag)) {
			t.Errorf("the tags page does not list %q", tag)
		}
		if term := readPage(t, site, "tags/"+strings.ToLower(tag)+"/index.html"); !bytes.Contains(term, []byte(title)) {
			t.Errorf("the page of tag %q does not list the post", tag)
		}
	}
	if len(fm.Tags) == 0 {
		t.Error("the post has no tags")
	}
}

// yamlFile reads a written file's summary and tags.
func yamlFile(t *testing.T, path string) (fm struct {
	Summary string
	Tags    []string
}) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	head, _, ok := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
	if !ok {
		t.Fatalf("%s: no front matter", path)
	}
	if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return fm
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
