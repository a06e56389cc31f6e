// Package fetch is the first stage: it turns a feed argument into bytes.
//
// In: a Source (a URL, a file's path, or "-" for standard input, as
// ParseSource classifies an argument) and the Validators of the feed's
// last response. Out: a Fetched document, whole in memory up to MemMax
// bytes and streamed past it, with the URL it came from after redirects,
// the new URL of a permanent move, and the Validators to send next time.
// A Fetcher sends conditional requests, retries transient failures with
// backoff and Retry-After, follows redirects only to http and https,
// caps every body (a TooLargeError, never a cut document), gives every
// request a deadline and a User-Agent, and says what failed in errors
// that name no credential (RedactURL, MaskCredentials).
//
// It knows no feed format: a Fetcher's Sniff, given by the caller, judges
// a document's first bytes before the rest is read, and DiscoverFeed only
// finds the feed an HTML page links to. The URL helpers (Resolve,
// AbsHTTP, HostOf) live here because this is the lowest stage that needs
// them; later stages use them too.
//
// Labels names the feeds of a run for messages, and FormatSize,
// FormatDuration and FormatTime write sizes, waits and times as every
// message of the command does.
//
// It writes nothing and keeps no state between runs: the caller stores
// the Validators.
package fetch
