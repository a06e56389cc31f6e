// Package templates holds the front-matter template that feed2md embeds.
//
// The template is the layout of FORMAT.md: every value goes through a
// quoting function (dq for double quotes, sq for single quotes) provided by
// package convert, so that no feed content can produce invalid YAML.
package templates

import "embed"

// FS holds the embedded templates; FrontMatter names the default one in it.
//
//go:embed *.tmpl
var FS embed.FS

// FrontMatter is the name of the default front-matter template in FS.
const FrontMatter = "frontmatter.tmpl"
