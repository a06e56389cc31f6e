package folder

import (
	"errors"
	"syscall"
)

// Windows' errors for a full disk and a write-protected one.
const (
	errorWriteProtect   = syscall.Errno(19)  // ERROR_WRITE_PROTECT
	errorHandleDiskFull = syscall.Errno(39)  // ERROR_HANDLE_DISK_FULL
	errorDiskFull       = syscall.Errno(112) // ERROR_DISK_FULL
)

// FullCause says, when err is a file system that is full or read-only,
// what happened and what to do, in the words of FullError.
func FullCause(err error) (what, hint string, ok bool) {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return "", "", false
	}
	switch errno {
	case errorDiskFull, errorHandleDiskFull:
		return "no space left on device", "free some space", true
	case errorWriteProtect:
		return "read-only file system", "make it writable", true
	}
	return "", "", false
}
