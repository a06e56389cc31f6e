// Package frontmatter is the fifth stage: it gives an item the fields
// of its page and writes them as FORMAT.md's YAML front matter.
//
// In: the values a feed and its item carry (titles, dates, links,
// categories, images) and the options that shape them. Out: the fields
// (a FrontMatter), and the file's bytes from Render (any template) or
// RenderDefault (FORMAT.md's layout, written without the template
// engine, byte for byte the same).
//
// The rules of each field live here: Slug and SafeName (a file name no
// system or Hugo misreads), Tags from a title and its stop words, Terms
// that make taxonomy pages inside their folder (HugoTermPath models how
// Hugo turns a term into a URL), dates read in the forms feeds write
// (readDate, ItemTime) and written so that Hugo neither hides nor
// misdates a post (HugoDate, HugoParseDate, the site's time zone read
// by Site.TimeZone), the summary escaped for Markdown (SummaryText), the
// item's image and the keys a theme reads for it (Themes), and aliases.
// CheckValues refuses, before any work, an option whose value would
// reach the front matter as something Hugo or a YAML parser cannot read.
// Every value goes through a quoting function that cannot produce
// invalid YAML.
//
// It reads the Hugo site's configuration when asked (FindSite, once for
// its TimeZone, HugoWarning and ThemeNotice) and writes nothing.
package frontmatter
