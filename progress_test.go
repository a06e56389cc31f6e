package main

import (
	"bytes"
	"os"
	"testing"
)

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, 3, true)
	p.clear()
	buf.WriteString("summary 1\n")
	p.step()
	p.clear()
	buf.WriteString("summary 2\n")
	p.step()
	p.clear()
	buf.WriteString("summary 3\n")
	p.step() // the last step draws nothing
	p.clear()
	want := "\rfeeds: 0/3 done\r\033[Ksummary 1\n\rfeeds: 1/3 done\r\033[Ksummary 2\n\rfeeds: 2/3 done\r\033[Ksummary 3\n"
	if buf.String() != want {
		t.Errorf("progress wrote %q, want %q", buf.String(), want)
	}
	var off bytes.Buffer
	q := newProgress(&off, 3, false)
	q.step()
	q.clear()
	if off.Len() != 0 {
		t.Errorf("progress off wrote %q", off.String())
	}
	if isTerminal(&off) {
		t.Error("a buffer is a terminal")
	}
	f, err := os.CreateTemp(t.TempDir(), "x")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Error("a file is a terminal (cron's stderr is a file or a pipe)")
	}
}

// The command's stderr is wrapped in a lock: the wrapped terminal is
// still one, or no progress counter would ever show. /dev/null is a
// character device, which is what isTerminal looks at.
func TestIsTerminalThroughLock(t *testing.T) {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("SKIPPED: no %s: %v", os.DevNull, err)
	}
	defer f.Close()
	if !isTerminal(f) {
		t.Skipf("SKIPPED: %s is not a character device here", os.DevNull)
	}
	if !isTerminal(&lockedWriter{w: f}) {
		t.Error("a terminal behind the stderr lock is not seen as a terminal")
	}
}
