// Package body is the fourth stage: it turns an item's HTML into the body
// of its page.
//
// In: a gofeed.Item (its content, else its description) and the item's
// link, which relative URLs are resolved against. Out, from a Maker: the
// body as written to the file, in HTML (one raw HTML block for Goldmark)
// or in CommonMark, with the src of its first image kept.
//
// On the way the HTML is sanitized by an allow-list (sanitize.go and its
// lists: nothing that runs, loads or submits survives unless the Maker
// is raw), its URLs are made absolute, and what Hugo would read as
// markup of its own (shortcode delimiters, and in Markdown emphasis,
// headings' attributes, footnotes) is escaped (markdown_hugo.go).
// PlainText, PlainTextUpTo and CutWords give the text a front-matter
// field needs; ImageRefs and RewriteImages find and repoint a body's
// images for the images stage's downloads.
//
// It reads nothing but its arguments and writes nothing: the front matter
// and the files are later stages'.
package body
