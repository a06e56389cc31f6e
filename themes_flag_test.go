package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestThemeFlagUsage: an unknown -theme, or a user's template that would
// ignore it, is bad usage (exit 2, one line) before any feed is read;
// the theme's name is read in any case.
func TestThemeFlagUsage(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.tmpl")
	if err := os.WriteFile(plain, []byte("---\ntitle: {{dq .Title}}\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-theme", "hugo-book"}, exitUsage, `-theme "hugo-book": use papermod, ananke or stack`},
		{[]string{"-theme", ""}, exitFailed, "no such file"}, // empty: no theme, the run goes on
		{[]string{"-theme", "papermod", "-template", plain}, exitUsage, "does not use .Theme"},
		{[]string{"-theme", "PaperMod"}, exitFailed, "no such file"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			args := append([]string{"-no-cache", "-o", out}, c.args...)
			args = append(args, filepath.Join(dir, "missing.xml"))
			var stdout, stderr bytes.Buffer
			code := feed2md(context.Background(), args, nil, &stdout, &stderr)
			if code != c.code || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr.String(), c.code, c.want)
			}
			if c.code == exitUsage && strings.Count(stderr.String(), "\n") != 1 {
				t.Errorf("not one line: %q", stderr.String())
			}
		})
	}
}
