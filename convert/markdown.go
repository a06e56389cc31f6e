package convert

import (
	"fmt"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
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

// markdown converts a sanitized HTML body to CommonMark, with the item's
// link as the domain that relative links resolve against.
func (c *Converter) markdown(s, link string) (string, error) {
	var opts []converter.ConvertOptionFunc
	if link != "" {
		opts = append(opts, converter.WithDomain(link))
	}
	conv := <-c.md
	md, err := conv.ConvertString(s, opts...)
	c.md <- conv
	if err != nil {
		return "", fmt.Errorf("converting the body to Markdown: %w", err)
	}
	return md, nil
}
