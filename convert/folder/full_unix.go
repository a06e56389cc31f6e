//go:build unix

package folder

import (
	"errors"
	"syscall"
)

// FullCause says, when err is a file system that is full, over quota or
// read-only, what happened and what to do, in the words of FullError.
func FullCause(err error) (what, hint string, ok bool) {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return "", "", false
	}
	switch errno {
	case syscall.ENOSPC:
		return "no space left on device", "free some space", true
	case syscall.EDQUOT:
		return "disk quota exceeded", "free some space or raise the quota", true
	case syscall.EROFS:
		return "read-only file system", "make it writable", true
	}
	return "", "", false
}
