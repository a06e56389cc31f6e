//go:build !unix && !windows

package convert

// fullCause knows no system's errors here: a full disk fails each item.
func fullCause(err error) (what, hint string, ok bool) { return "", "", false }
