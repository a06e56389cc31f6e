package main

import (
	"fmt"
	"io"
	"os"
)

// progress shows "feeds: done/total" on the last line of a terminal while
// a run over several feeds goes on. Without a terminal (cron, a pipe) it
// does nothing.
type progress struct {
	w           io.Writer
	done, total int
	on          bool
	shown       bool
}

func newProgress(w io.Writer, total int, on bool) *progress {
	p := &progress{w: w, total: total, on: on}
	p.show()
	return p
}

// step counts one feed done and redraws the counter.
func (p *progress) step() {
	p.done++
	p.show()
}

func (p *progress) show() {
	if !p.on || p.done >= p.total {
		return
	}
	fmt.Fprintf(p.w, "\rfeeds: %d/%d done", p.done, p.total)
	p.shown = true
}

// clear erases the counter so that a summary line can take its place.
func (p *progress) clear() {
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// isTerminal reports whether w is a terminal (through the lock that
// serialises the command's stderr).
func isTerminal(w io.Writer) bool {
	if l, ok := w.(*lockedWriter); ok {
		w = l.w
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
