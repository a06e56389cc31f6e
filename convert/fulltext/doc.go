// Package fulltext is the third stage, for -fulltext: it turns an item's
// link into the article of the page it links to, for feeds that carry
// only an excerpt.
//
// In: the item's link (http or https only). Out, from an Extractor: the
// page's main article as HTML (an Article), with every URL made absolute
// against the page (its final URL after redirects, or its <base>), ready
// for the body stage to sanitize and convert like any item's HTML. The
// extraction itself is codeberg.org/readeck/go-readability/v2, the port
// of Mozilla's Readability (docs/fulltext.md says why not go-trafilatura,
// whose date parser costs every run of the program 0.2 s at start).
//
// A page is fetched as images are (the fetch stage's client, User-Agent,
// timeouts, retries and checked redirects, read whole up to its own cap,
// -max-page-size), at most as many at a time as the run's fetch.Hosts
// allows. A page that is not HTML, too large, or without an article is
// an error: the caller keeps the feed's own body.
//
// It decides nothing about which body an item gets (Longer helps the
// caller), and remembers nothing between runs: the folder stage keeps
// what was extracted (folder.PageMemory), so that a re-run asks for no
// page again.
package fulltext
