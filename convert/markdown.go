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

// markdown converts a sanitized HTML body to CommonMark, with the item's
// link as the domain that relative links resolve against.
func (c *Converter) markdown(s, link string) (string, error) {
	var opts []converter.ConvertOptionFunc
	if link != "" {
		opts = append(opts, converter.WithDomain(link))
	}
	md, err := c.md.ConvertString(s, opts...)
	if err != nil {
		return "", fmt.Errorf("converting the body to Markdown: %w", err)
	}
	return md, nil
}
