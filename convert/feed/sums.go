package feed

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"sync"
)

func HashBytes(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// HashFile sums the file at path as HashBytes sums its bytes, reading it a
// piece at a time.
func HashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return hashReader(f)
}

// hashReader sums what r holds, 256 KB at a time.
func hashReader(f io.Reader) (string, error) {
	h := sha256.New()
	buf := make([]byte, 256<<10)
	for {
		n, err := f.Read(buf)
		h.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashAsync sums b on another goroutine; the function it returns waits
// for the sum.
func hashAsync(b []byte) func() string {
	return async(func() string { return HashBytes(b) })
}

// async runs sum on another goroutine; the function it returns waits for
// its result.
func async(sum func() string) func() string {
	ch := make(chan string, 1)
	go func() { ch <- sum() }()
	return sync.OnceValue(func() string { return <-ch })
}

// hashFileAsync sums the open file f on another goroutine, as HashFile
// does, reading it again by its name; the function it returns waits for
// the sum. It is "" when the file could not be read, or when its name now
// names another file (replaced during the run): a sum of the new file
// would let the next run skip it unconverted.
func hashFileAsync(f *os.File) func() string {
	return async(func() string {
		g, err := os.Open(f.Name())
		if err != nil {
			return ""
		}
		defer g.Close()
		a, err1 := f.Stat()
		b, err2 := g.Stat()
		if err1 != nil || err2 != nil || !os.SameFile(a, b) {
			return ""
		}
		h, err := hashReader(g)
		if err != nil {
			return ""
		}
		return h
	})
}
