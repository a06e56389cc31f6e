package fetch

// The reading of a document's bytes, for local files, standard input and
// HTTP bodies alike: the first MemMax in memory and the rest left to a
// reader, capped at a size, every read stopped when the context ends
// (see fetched).

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"runtime"
)

// readFile opens a local file for ReadBody, failing at once when a
// regular file is larger than max.
func readFile(ctx context.Context, path string, max int64, sniff func(prefix []byte, contentType string) error) (*Fetched, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if info.IsDir() {
		f.Close()
		return nil, errors.New("is a folder, not a feed file")
	}
	if info.Mode().IsRegular() && max > 0 && info.Size() > max {
		f.Close()
		return nil, &TooLargeError{Limit: max}
	}
	res := &Fetched{Limit: max}
	known := int64(0) // a regular file's size, so that a large one is not read into memory first
	if info.Mode().IsRegular() {
		known = info.Size()
	}
	if err := ReadBody(ctx, res, f, max, known, sniff); err != nil {
		f.Close()
		return nil, err
	}
	if res.Rest == nil {
		f.Close()
	} else if info.Mode().IsRegular() {
		res.File = f
	}
	return res, nil
}

// ReadBody reads the first bytes of r into res.Body, and all of them when
// there are at most MemMax; otherwise it leaves the others to res.Rest,
// which closes r. It checks the first SniffSize bytes before reading on,
// so that something that is no feed (a device of zeros, a binary file)
// fails at once (sniff, which the fetcher is given by the stage that
// knows feeds; nil for no check). Every read stops when ctx ends, and the
// whole document is capped at max bytes (0: none), past which it fails
// rather than being cut.
func ReadBody(ctx context.Context, res *Fetched, r io.ReadCloser, max int64, known int64, sniff func(prefix []byte, contentType string) error) error {
	src := &GuardedReader{ctx: ctx, r: r, max: max, closer: r}
	if _, ok := r.(httpBody); ok {
		src.direct = true
	}
	var pieces [][]byte
	total, size := 0, SniffSize
	for {
		buf := make([]byte, size)
		adviseHugePages(buf)
		n, err := io.ReadFull(src, buf)
		pieces = append(pieces, buf[:n])
		total += n
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return err
		}
		if len(pieces) == 1 && sniff != nil {
			if err := sniff(buf, res.ContentType); err != nil {
				return err
			}
		}
		if total > MemMax || known > int64(MemMax) {
			// Too large to hold: the first piece is body, the others and
			// what is left to read are rest.
			res.Body = pieces[0]
			res.Rest = &chainReader{pieces: pieces[1:], src: src}
			res.Size = -1
			if known > 0 {
				res.Size = known
			}
			return nil
		}
		size = min(2*size, 8<<20, MemMax+1-total)
	}
	res.Body = joinPieces(pieces, total)
	res.Size = int64(total)
	return nil
}

// readWhole reads all of r into res.Body, as ReadBody does but without
// the feed sniff and never streaming: for an image, which is kept whole
// or not at all. It fails past max bytes (0: none).
func readWhole(ctx context.Context, res *Fetched, r io.ReadCloser, max int64, known int64) error {
	src := &GuardedReader{ctx: ctx, r: r, max: max, closer: r, direct: true}
	if _, ok := r.(httpBody); !ok {
		src.direct = false
	}
	var b bytes.Buffer
	if known > 0 && (max <= 0 || known <= max) {
		b.Grow(int(known))
	}
	if _, err := b.ReadFrom(src); err != nil {
		return err
	}
	res.Body = b.Bytes()
	res.Size = int64(len(res.Body))
	return nil
}

// chainReader reads pieces already read, then src; closing it closes src.
type chainReader struct {
	pieces [][]byte
	src    *GuardedReader
}

func (c *chainReader) Read(p []byte) (int, error) {
	for len(c.pieces) > 0 {
		if len(c.pieces[0]) == 0 {
			c.pieces[0] = nil
			c.pieces = c.pieces[1:]
			continue
		}
		n := copy(p, c.pieces[0])
		c.pieces[0] = c.pieces[0][n:]
		return n, nil
	}
	return c.src.Read(p)
}

func (c *chainReader) Close() error { return c.src.Close() }

// joinPieces joins the pieces read into one slice of total bytes.
func joinPieces(pieces [][]byte, total int) []byte {
	if len(pieces) == 1 {
		return pieces[0]
	}
	out := make([]byte, 0, total)
	adviseHugePages(out[:total])
	for i, p := range pieces {
		out = append(out, p...)
		pieces[i] = nil
	}
	if total >= 16<<20 {
		// The pieces are garbage, but a collection that ran while they
		// were joined saw them live and set the next heap goal from twice
		// the feed's size; one now sets it from what is live.
		runtime.GC()
	}
	return out
}

// NewGuardedReader returns a GuardedReader of r, whose reads do not block
// for long (a decompressor over a stream that is itself guarded): it
// stops when ctx ends and fails past max bytes (0: no cap).
func NewGuardedReader(ctx context.Context, r io.Reader, max int64) *GuardedReader {
	return &GuardedReader{ctx: ctx, r: r, max: max, direct: true}
}

// GuardedReader is the reader of every document: it stops when ctx ends,
// even while a read of a pipe or device blocks, and fails with a
// TooLargeError past max bytes (0: no cap).
type GuardedReader struct {
	ctx     context.Context
	r       io.Reader
	closer  io.Closer
	max     int64
	n       int64             // bytes read so far
	done    func(error) error // maps a read error (the HTTP timeout's wording); may be nil
	busy    bool              // a read abandoned on cancellation may still be running
	direct  bool              // reads need no goroutine: a regular file, an HTTP body
	statted bool              // whether the file was asked if it is regular
	buf     []byte            // what a read on another goroutine reads into
}

func (g *GuardedReader) Read(p []byte) (int, error) {
	if err := g.ctx.Err(); err != nil {
		return 0, err
	}
	if g.busy {
		return 0, context.Canceled
	}
	if g.max > 0 && g.n > g.max {
		return 0, &TooLargeError{Limit: g.max}
	}
	if g.max > 0 && int64(len(p)) > g.max+1-g.n {
		p = p[:g.max+1-g.n]
	}
	n, err := g.read(p)
	g.n += int64(n)
	if g.max > 0 && g.n > g.max {
		return n, &TooLargeError{Limit: g.max}
	}
	if err != nil && err != io.EOF && g.done != nil {
		err = g.done(err)
	}
	return n, err
}

// read reads from a regular file, or a reader that stops on its own when
// ctx ends (an HTTP body), directly. It reads anything else (a pipe, a
// device) on another goroutine, into the reader's own buffer, so that a
// read that blocks forever is abandoned when ctx ends.
func (g *GuardedReader) read(p []byte) (int, error) {
	if g.direct {
		return g.r.Read(p)
	}
	if f, ok := g.r.(*os.File); ok && !g.statted {
		// Asked once: a pipe or a device stays one.
		g.statted = true
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
			g.direct = true
			return f.Read(p)
		}
	}
	type result struct {
		n   int
		err error
	}
	if g.buf == nil {
		g.buf = make([]byte, 256<<10)
	}
	buf := g.buf[:min(len(p), len(g.buf))]
	ch := make(chan result, 1)
	go func() {
		n, err := g.r.Read(buf)
		ch <- result{n, err}
	}()
	select {
	case r := <-ch:
		copy(p, buf[:r.n])
		return r.n, r.err
	case <-g.ctx.Done():
		g.busy = true // the goroutine may still write to buf: never read again
		return 0, g.ctx.Err()
	}
}

// Close closes the underlying reader, if it has a Close method.
func (g *GuardedReader) Close() error {
	if g.closer != nil {
		return g.closer.Close()
	}
	return nil
}
