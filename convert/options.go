package convert

import (
	"feed2md/convert/fetch"
	"feed2md/convert/frontmatter"
	"io"
	"net/http"
	"sync"
	"text/template"
	"time"
)

// Options configure a Converter. The zero value of a field means its
// default, as documented on it.
type Options struct {
	OutputDir  string                // the folder written to; created before the first write when missing (default ".")
	Template   *template.Template    // the front-matter template (required; see frontmatter.ParseTemplate)
	Stopwords  frontmatter.Stopwords // words never made tags (default frontmatter.DefaultStopwords())
	MaxTags    int                   // tags per item; negative for none (default 5)
	Body       string                // BodyHTML (default) or BodyMarkdown
	Raw        bool                  // keep active content in bodies (no sanitizing)
	Bundle     bool                  // write <slug>/index.md instead of <slug>.md
	Draft      bool                  // write draft: true
	DateFormat string                // Go layout of the date key (default "2006-01-02")
	Location   *time.Location        // convert dates to this zone (default: the feed's own offset)
	SiteZone   *time.Location        // the Hugo site's timeZone, which Hugo reads a date without a zone in (default UTC; see frontmatter.Site.TimeZone)
	Categories []string              // the categories key (default: the source's host)
	Source     string                // the source key (default: the feed's URL or self link)

	Client      *http.Client     // the HTTP client (default: a new one)
	UserAgent   string           // sent with every request (default "feed2md")
	Timeout     time.Duration    // for each request, body included (default 30s)
	MaxSize     int64            // the most bytes read from a URL or standard input (default 32 MiB)
	MaxFileSize int64            // the most bytes read from a local file (default fetch.DefaultMaxFileSize)
	Retries     int              // extra attempts on a transient HTTP failure; negative for none (default 2)
	RetryWait   time.Duration    // the first backoff, doubled each time (default 1s)
	MaxWait     time.Duration    // the longest Retry-After waited for in the run (default Timeout); a longer one is a *fetch.RetryLaterError, recorded in the state
	Stdin       io.Reader        // what "-" reads
	Now         func() time.Time // the clock, for undated items and Retry-After (default time.Now)
	Workers     int              // cores used: items prepared, runs of a large feed parsed (default: the number of CPUs)

	CacheDir string    // where the state file of conditional requests lives ("" for none)
	DryRun   bool      // write nothing: not the files, the folder's memory, nor the state
	Limit    int       // keep only the newest Limit items of each feed (0: all)
	Since    time.Time // skip items dated before Since (zero: none); undated items stay
	// SinceWindow is set when Since is counted back from now (-since 7d):
	// the span, which the options' fingerprint holds instead of Since, so
	// that a window that moves with the clock does not make every run
	// convert every feed again (a feed that did not change gains no item
	// from a later Since).
	SinceWindow time.Duration
	LockWait    time.Duration    // how long to wait for another run that holds the folder (0: not at all)
	Warn        func(msg string) // receives warnings, such as a damaged state file (default: dropped)
	OnWait      func(pid string) // called when another run holds the folder and this one waits; pid is "unknown" where the system does not tell
	Hosts       *fetch.Hosts     // shared by the Converters of one run: the items' requests (pages, images) at a time, per host and in all (nil: the Converter's own)
	Slots       chan struct{}    // shared by the Converters of one run (one an output folder): at most cap(Slots) feeds load at once over all of them (nil: the jobs of each ConvertAll)
	// Memory, when set, is told how much memory the feeds being converted
	// call for (see MemoryNeed): need when a feed has been read, -need when
	// it is done (a MemoryBudget's Add keeps the collector's soft limit at
	// MemoryLimitFor of the sum). It is called from several goroutines.
	Memory func(delta int64)

	// CacheStrict makes a CacheDir that cannot be used an error (a
	// *StateError), for a folder the user chose. Otherwise it is one
	// warning and the run goes on without the state: the files are right,
	// only conditional requests are lost.
	CacheStrict bool

	Images       string        // ImagesLink (default: leave image URLs as they are) or ImagesDownload (implies Bundle)
	MaxImageSize int64         // the largest image downloaded (default 20 MiB)
	Aliases      bool          // write the item link's path as Hugo aliases when it is on the feed's own host
	FullText     bool          // an item whose body is shorter than its page's article gets the article (see convert/fulltext)
	Prune        time.Duration // remove the file of an item absent from its feed for longer than this (0: never); needs the state (CacheDir)
	Header       http.Header   // request headers of the feed itself (never of its items' pages or images, nor of another host it redirects to); secrets: never written anywhere
	MaxPageSize  int64         // the largest page read for FullText (default fulltext.DefaultMaxSize)
	Tags         string        // where tags come from: TagsTitle (default), TagsFeed or TagsBoth

	// Theme names the Hugo theme of the site (one of Themes; default
	// none): the front matter also carries the keys that theme reads for
	// the item's image, and Hugo's images. A user's Template must use
	// .Theme (Check says so).
	Theme string
}

// GCPercent and MemoryLimit are the garbage collector's settings the
// command makes (runtime/debug.SetGCPercent and SetMemoryLimit), each
// unless the environment sets its own (GOGC, GOMEMLIMIT). A streamed feed
// keeps little live (the items in flight, and the bookkeeping of the files
// written, which holds no pointers: see convert/arena), so with Go's default
// of 100 the collector would run five times as often as when the whole
// feed was held, costing 10 to 20% more CPU; 400 lets the heap grow to
// five times what is live, and the soft limit keeps it under 224 MiB when
// that is much (a feed of 200,000 items: about 240 MB of RSS, where 256
// MiB gave 270 MB for the same CPU time).
const (
	GCPercent   = 400
	MemoryLimit = 224 << 20
	// MemoryLimitMin is the soft limit while the feeds converted are small
	// (MemoryLimitFor).
	MemoryLimitMin = 48 << 20
)

// MemoryNeed is what a feed document of size bytes (fetch.Fetched.Size;
// negative: unknown) calls for. One read whole (at most fetch.MemMax, 32
// MiB) keeps its bytes and its parsed items live: about twice its size,
// three times with room for the collector (at twice, 4,000 real posts, 27
// MB, were collected over and over near the limit). A
// streamed one keeps little, and its size is only a budget that gives the
// collector room in proportion; one of unknown size calls for MemoryLimit.
func MemoryNeed(size int64, whole bool) int64 {
	switch {
	case size < 0:
		return MemoryLimit
	case whole:
		return 3 * size
	}
	return size
}

// MemoryLimitFor is the soft memory limit for feeds that call for need
// bytes in all (MemoryNeed): need, but no less than MemoryLimitMin and no
// more than MemoryLimit. With GCPercent, a heap that may grow to five times
// what is live, a fixed limit let a run take whatever the limit allowed:
// a 52 MB feed, streamed with 15 MB live, peaked at 2.4 times its size in
// RSS; a limit near its size keeps it near its size, for a few more
// collections (see docs/memory.md).
func MemoryLimitFor(need int64) int64 {
	return min(max(need, MemoryLimitMin), MemoryLimit)
}

// MemoryBudget is an Options.Memory that keeps the garbage collector's
// soft limit at MemoryLimitFor of what the feeds being converted call for:
// a small feed's run stays at MemoryLimitMin, a streamed 52 MB one at its
// size, a 1 GB one at MemoryLimit. The command makes one a run, with Set
// debug.SetMemoryLimit unless GOMEMLIMIT is set; so do the benchmarks
// that measure as the command runs. Safe for concurrent use.
type MemoryBudget struct {
	Set func(limit int64) int64 // sets the limit (runtime/debug.SetMemoryLimit); nil: the limit is left alone

	mu   sync.Mutex
	need int64
}

// Add counts delta more bytes of need (negative: a feed done) and sets the
// limit that follows.
func (b *MemoryBudget) Add(delta int64) {
	if b.Set == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.need += delta
	b.Set(MemoryLimitFor(b.need))
}

// Body modes.
const (
	BodyHTML     = "html"     // the item's HTML, sanitized unless Raw
	BodyMarkdown = "markdown" // CommonMark converted from the sanitized HTML
)

// Check reports a value of o that would reach the front matter as
// something Hugo or a YAML parser cannot read: a date layout whose dates
// Hugo does not parse back, a category or source that is not clean text,
// an unknown theme or a template that ignores it.
// New calls it; a command calls it first to fail as a usage error, before
// any network or disk work. Values quoted with dq or sq need no more than
// clean text: the date is written unquoted (the seed's `date: 2026-01-21`),
// so its layout is tried on sample dates.
func (o *Options) Check() error {
	return frontmatter.CheckValues(o.DateFormat, o.Location, o.Categories, o.Source, o.Theme, o.Template)
}
