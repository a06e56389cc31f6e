//go:build !unix

package folder

import (
	"errors"
	"os"
)

var errWouldBlock = errors.New("locked")

// oNoFollow does not exist here: openOwn's Lstat and same-file checks
// refuse links instead.
const oNoFollow = 0

// tryLock is a no-op where flock does not exist: overlapping runs are not
// guarded there.
func tryLock(f *os.File) error { return nil }

func unlockFile(f *os.File) {}
