//go:build unix

package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSignalLeavesNoTempFile interrupts a run that is writing thousands of
// files: it must stop, exit 1, and leave no temporary file and no partial
// file behind.
func TestSignalLeavesNoTempFile(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			feed := filepath.Join(dir, "big.xml")
			var b strings.Builder
			b.WriteString(`<rss version="2.0"><channel><title>Big</title><link>https://big.test/</link>`)
			body := strings.Repeat("<p>Some words of a paragraph, long enough to matter.</p>", 40)
			for i := 0; i < 8000; i++ {
				fmt.Fprintf(&b, "<item><title>Post number %d</title><link>https://big.test/%d</link><description><![CDATA[%s]]></description></item>", i, i, body)
			}
			b.WriteString("</channel></rss>")
			if err := os.WriteFile(feed, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			cmd := exec.Command(os.Args[0], "-no-cache", "-o", out, feed)
			cmd.Env = append(os.Environ(), "FEED2MD_RUN_MAIN=1")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(30 * time.Second)
			for {
				entries, _ := os.ReadDir(out)
				if len(entries) > 50 || time.Now().After(deadline) {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			exit, ok := err.(*exec.ExitError)
			if !ok || exit.ExitCode() != 1 {
				t.Fatalf("exit %v, want status 1; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "interrupted") {
				t.Errorf("stderr does not say it was interrupted:\n%s", stderr.String())
			}
			entries, err := os.ReadDir(out)
			if err != nil {
				t.Fatal(err)
			}
			written := 0
			for _, e := range entries {
				name := e.Name()
				if strings.HasPrefix(name, ".feed2md-tmp-") {
					t.Errorf("temporary file %s left behind", name)
				}
				if !strings.HasSuffix(name, ".md") {
					continue
				}
				written++
				data, err := os.ReadFile(filepath.Join(out, name))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.HasPrefix(data, []byte("---\ntitle: ")) || !bytes.HasSuffix(data, []byte("</p>\n")) {
					t.Errorf("%s is not whole", name)
				}
			}
			if written == 0 || written >= 8000 {
				t.Errorf("%d files written: the signal did not land mid-run", written)
			}
		})
	}
}
