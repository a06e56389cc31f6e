//go:build !unix && !windows

package folder

// FullCause knows no system's errors here: a full disk fails each item.
func FullCause(err error) (what, hint string, ok bool) { return "", "", false }
