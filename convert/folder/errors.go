package folder

import (
	"fmt"
)

// ItemError is a failure to convert or write one item of a feed; the
// other items are unaffected.
type ItemError struct {
	Link string // the item's link, or its GUID or title when it has none
	Err  error
}

func (e *ItemError) Error() string { return fmt.Sprintf("item %s: %v", e.Link, e.Err) }

func (e *ItemError) Unwrap() error { return e.Err }

// FullError is the output folder's file system filling up (or its quota
// running out, or it turning read-only) during a run. The feed's writing
// stopped at the first file that did not fit (for a feed after it in the
// run, at its first file to write): every file written is whole, and the
// next run, once there is space, writes the rest. It is one of a Result's
// Errors, beside the counts of what was written.
type FullError struct {
	Dir     string // the output folder
	Err     error  // the system's error, e.g. ENOSPC
	Written int    // the feed's items whose files are written (new, updated or unchanged)
	Items   int    // the feed's items to write (those -limit and -since kept)
}

func (e *FullError) Error() string {
	what, hint, ok := FullCause(e.Err)
	if !ok {
		what, hint = fmt.Sprint(e.Err), "free some space"
	}
	return fmt.Sprintf("%s writing %s: %d of %d items written; %s and run again to write the rest", what, e.Dir, e.Written, e.Items, hint)
}

func (e *FullError) Unwrap() error { return e.Err }

// IsFull reports whether err is a file system that is full, over quota or
// read-only: no later write into the folder can succeed either.
func IsFull(err error) bool {
	_, _, ok := FullCause(err)
	return ok
}
