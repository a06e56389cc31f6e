package convert

import (
	"fmt"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
)

// newMarkdownConverter builds the one HTML-to-Markdown converter a run
// reuses for every item: CommonMark with tables and strikethrough. It is
// safe for concurrent use.
//
// The converter's "<!--THE END-->" comment between two adjacent lists is
// off: it is raw HTML, which stock Hugo replaces with "raw HTML omitted".
// Lists of different kinds stay apart without it; two adjacent lists of the
// same kind become one.
func newMarkdownConverter() *converter.Converter {
	return converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(commonmark.WithListEndComment(false)),
		table.NewTablePlugin(),
		strikethrough.NewStrikethroughPlugin(),
	))
}

// markdownPool holds one converter per worker, each reused for item after
// item. One converter shared by all workers would do, but it takes a read
// lock for every character it escapes, and on several cores that lock's
// counter becomes the bottleneck.
type markdownPool chan *converter.Converter

func newMarkdownPool(n int) markdownPool {
	p := make(markdownPool, n)
	for i := 0; i < n; i++ {
		p <- newMarkdownConverter()
	}
	return p
}

// markdown converts an HTML body to CommonMark: it is parsed, sanitized
// as a tree (sanitizeTree; with sanitize false only its URLs are made
// absolute), and converted with the item's link as the domain that
// relative links resolve against. It also returns the src of the first
// <img> kept.
func (c *Converter) markdown(s, link string, sanitize bool) (md, firstImg string, err error) {
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return "", "", fmt.Errorf("parsing the body: %w", err)
	}
	firstImg = sanitizeTree(doc, link, sanitize)
	var opts []converter.ConvertOptionFunc
	if link != "" {
		opts = append(opts, converter.WithDomain(link))
	}
	conv := <-c.md
	out, err := conv.ConvertNode(doc, opts...)
	c.md <- conv
	if err != nil {
		return "", firstImg, fmt.Errorf("converting the body to Markdown: %w", err)
	}
	return string(out), firstImg, nil
}
