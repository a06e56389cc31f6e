//go:build !unix

package convert

import (
	"errors"
	"os"
)

var errWouldBlock = errors.New("locked")

// tryLock is a no-op where flock does not exist: overlapping runs are not
// guarded there.
func tryLock(f *os.File) error { return nil }

func unlockFile(f *os.File) {}
