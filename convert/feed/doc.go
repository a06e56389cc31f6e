// Package feed is the second stage: it turns a fetched document into a
// feed and its items.
//
// In: a fetch.Fetched (bytes in memory, or a stream past fetch.MemMax).
// Out: a Parsed, with the feed's own data as gofeed reads it, its Items
// handed out one at a time in feed order, the Notes of what a lenient
// reading changed, and the SHA-256 of the bytes (Hash) that lets the
// next run skip a feed whose bytes did not change.
//
// On the way it decodes (Decode: byte order marks, declared and sniffed
// charsets, gzip), repairs what gofeed would choke on (character
// references, a root element's namespace), normalizes JSON Feed, and
// splits a large XML or JSON document into runs of items parsed in
// parallel, with the item bodies stashed aside so that memory stays near
// the items in flight (stream.go, split.go, stash.go, jsonstream.go).
// Sniff judges a document's first bytes for fetch. ReadList reads a
// -feeds list (OPML, or a URL or path a line), decoded as a feed is.
//
// It neither sanitizes nor writes a file of the folder (a large document
// read from a network, standard input or gzip is spooled to an unlinked
// temporary file for its second pass): items leave as gofeed.Items, and what
// becomes of their HTML is the body stage's.
package feed
