package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestVersionLine(t *testing.T) {
	vcs := []debug.BuildSetting{
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "4f48ce3fdf29db48640a7c4b0b6cfe65c1fd68c1"},
		{Key: "vcs.time", Value: "2026-12-03T05:59:00Z"},
		{Key: "vcs.modified", Value: "false"},
	}
	dirty := append(append([]debug.BuildSetting(nil), vcs[:3]...), debug.BuildSetting{Key: "vcs.modified", Value: "true"})
	for _, c := range []struct {
		name    string
		info    *debug.BuildInfo
		linked  string
		want    string
		agentUA string
	}{
		{"no build information", nil, "", "devel (no version information: build from a git checkout, with go build -buildvcs=true)", "devel"},
		{"go run, no VCS", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "", "devel (no version information: build from a git checkout, with go build -buildvcs=true)", "devel"},
		{"a checkout", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261203055900-4f48ce3fdf29"}, Settings: vcs}, "",
			"commit 4f48ce3fdf29 (2026-12-03T05:59:00Z)", "devel-4f48ce3fdf29"},
		{"a checkout with changes", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261203055900-4f48ce3fdf29+dirty"}, Settings: dirty}, "",
			"commit 4f48ce3fdf29 (2026-12-03T05:59:00Z) with local changes", "devel-4f48ce3fdf29"},
		{"a tagged commit", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}, Settings: vcs}, "",
			"v1.2.0, commit 4f48ce3fdf29 (2026-12-03T05:59:00Z)", "v1.2.0"},
		{"a module download", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "", "v1.2.0", "v1.2.0"},
		{"after a tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.1-0.20261203055900-4f48ce3fdf29"}, Settings: vcs}, "",
			"commit 4f48ce3fdf29 (2026-12-03T05:59:00Z)", "devel-4f48ce3fdf29"},
		{"set at link time", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v2.0.0", "v2.0.0", "v2.0.0"},
	} {
		b := readVCS(c.info, c.linked)
		if got := b.String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if got := b.short(); got != c.agentUA {
			t.Errorf("%s: User-Agent version %q, want %q", c.name, got, c.agentUA)
		}
	}
}

// TestVersionNamesCommit builds the command from a git checkout, as a
// user does, and checks that -version names the commit and its date. The
// checkout is a temporary clone of this one with the working files
// copied over (Go stamps no version in a git worktree, whose .git is a
// file), so it is built from the code under test.
func TestVersionNamesCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIPPED: -short: building the binary takes a while")
	}
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("git is missing in CI")
		}
		t.Skip("SKIPPED: git is not installed: cannot check -version against the checkout")
	}
	out, err := exec.Command(git, "log", "-1", "--format=%H %ct").Output()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI runs in a git checkout, but git log fails: %v", err)
		}
		t.Skipf("SKIPPED: not a git checkout (%v): cannot check -version", err)
	}
	var commit string
	var secs int64
	if _, err := fmt.Sscan(string(out), &commit, &secs); err != nil {
		t.Fatalf("git log: %q: %v", out, err)
	}
	date := time.Unix(secs, 0).UTC().Format(time.RFC3339)

	run := func(dir string, name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		out, err := cmd.Output()
		if err != nil {
			msg := ""
			if e, ok := err.(*exec.ExitError); ok {
				msg = string(e.Stderr)
			}
			t.Fatalf("%s %q: %v\n%s", name, args, err, msg)
		}
		return string(out)
	}
	clone := filepath.Join(t.TempDir(), "feed2md")
	run(".", git, "clone", "-q", "--shared", "--no-checkout", ".", clone)
	run(clone, git, "-c", "advice.detachedHead=false", "checkout", "-q", "--detach", commit)
	for _, name := range strings.Split(run(".", git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"), "\x00") {
		if name == "" {
			continue
		}
		data, err := os.ReadFile(name)
		switch {
		case os.IsNotExist(err):
			os.Remove(filepath.Join(clone, name))
			continue
		case err != nil:
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(filepath.Join(clone, name)), 0o755)
		if err := os.WriteFile(filepath.Join(clone, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	bin := filepath.Join(t.TempDir(), "feed2md")
	// -buildvcs=true: stamp the commit even where GOFLAGS turns it off.
	run(clone, "go", "build", "-buildvcs=true", "-o", bin, ".")
	line := strings.TrimSpace(run(".", bin, "-version"))
	t.Logf("-version: %s", line)
	named := "commit " + commit[:12] + " (" + date + ")"
	if !strings.HasPrefix(line, "feed2md "+named) && !strings.Contains(line, ", "+named) {
		t.Errorf("-version printed %q, want it to name %s", line, named)
	}
	changed := run(clone, git, "status", "--porcelain") != ""
	if changed != strings.HasSuffix(line, " with local changes") {
		t.Errorf("-version printed %q; the checkout has changes: %v", line, changed)
	}
	// The same, end to end, as a script run by the built binary.
	testscript.Run(t, testscript.Params{
		Dir: "testdata/version",
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", filepath.Dir(bin)+string(os.PathListSeparator)+env.Getenv("PATH"))
			env.Setenv("COMMIT", commit[:12])
			env.Setenv("DATE", date)
			return nil
		},
	})
}
