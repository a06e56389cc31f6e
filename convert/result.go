package convert

import (
	"feed2md/convert/fetch"
	"time"
)

// Change is one file written or left alone.
type Change struct {
	Path   string // the file's path: the output folder joined with its name
	Name   string // the file's name relative to the output folder
	Action string // ActionNew, ActionUpdated or ActionUnchanged
	Link   string // the item's link, or its GUID or title when it has none
}

// Result is what converting one feed did.
type Result struct {
	Source    fetch.Source // the feed
	Items     int          // items in the feed
	New       int          // files created
	Updated   int          // files rewritten
	Unchanged int          // files that already held exactly the item
	Skipped   int          // items the feed lists twice, or an earlier feed of the run listed
	Repeats   []string     // the link (else id or title) of each item skipped
	Notes     []string     // what a lenient reading changed, such as a JSON Feed field of the wrong type
	Filtered  int          // items left out by Limit or Since
	Changes   []Change     // one per item written or left alone, in feed order
	Errors    []error      // one per failed item (a *folder.ItemError); a full file system adds one *folder.FullError for the rest
	Err       error        // set when the feed as a whole failed; nothing was written

	// NotWritten is the items not written because the output folder's
	// file system is full or read-only (a *folder.FullError in Errors says so):
	// the next run writes them.
	NotWritten int

	NotModified bool   // the server answered 304 to a conditional request: nothing parsed
	SameBytes   bool   // the feed's bytes, the options and the files are as last time: nothing parsed
	MovedTo     string // the feed's new URL after a permanent redirect: update the list (may hold credentials: show it with fetch.RedactURL)
	Discovered  string // the feed URL found in the HTML page the source is, when that feed converted (may hold credentials: show it with fetch.RedactURL)

	// NotBefore is set when the feed was not fetched because an earlier
	// run's server asked, with Retry-After, for no request before then
	// (see fetch.RetryLaterError). Nothing failed and nothing was written.
	NotBefore time.Time

	ImagesSaved  int     // images downloaded into bundles (-images download)
	ImagesFailed int     // images left as absolute URLs because they failed; tried again next run
	ImageErrors  []error // one per failed image (an *images.Error), for -v

	PagesFetched int     // items' pages asked for (-fulltext)
	Articles     int     // items whose body is their page's article, extracted in this run or an earlier one
	PagesFailed  int     // pages asked for that gave no article: the feed's body is kept, and a run a day later asks again
	PageErrors   []error // one per failed page (a *PageError) or article not remembered, for -v

	pageRetry time.Time // the earliest time a failed page may be asked for again (zero: none waits)

	Pruned    []string // -prune: the files removed (in a dry run: that would be), their items gone from the feed long enough
	PruneKept []string // -prune: the files that would have been removed but were changed since feed2md wrote them: never removed

	sums map[string]string // -prune: the SHA-256 (hex) of each file written or found unchanged, by name
}

// Failed reports whether the feed or any of its items failed.
func (r *Result) Failed() bool { return r.Err != nil || len(r.Errors) > 0 }
