package frontmatter

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"text/template"
)

// Themes returns the Hugo themes convert.Options.Theme knows, in a new slice.
// The front-matter keys each reads for a page's image (besides Hugo's
// images, written for all of them):
//
//   - papermod (adityatelange/hugo-PaperMod): cover.image;
//   - ananke (theNewDynamic/gohugo-theme-ananke): featured_image;
//   - stack (CaiJimmy/hugo-theme-stack): image, which FORMAT.md's layout
//     already has.
func Themes() []string { return []string{"papermod", "ananke", "stack"} }

// themeTitles name the known themes as their authors do, for messages.
var themeTitles = map[string]string{"papermod": "PaperMod", "ananke": "Ananke", "stack": "Stack"}

// checkTheme reports an unknown theme, and a user's template that would
// ignore it (its output is the same whatever .Theme says) or writes
// invalid YAML with it.
func checkTheme(theme string, t *template.Template) error {
	if !slices.Contains(Themes(), theme) {
		return fmt.Errorf("unknown theme %q: use %s", theme, strings.Join(Themes(), ", "))
	}
	if t == nil || IsDefaultLayout(t) {
		return nil
	}
	// An image URL as hostile as YAML allows on one line (see ParseTemplate).
	image := `https://example.com/i.png?x=1: 'y': #z`
	sample := FrontMatter{Title: "Sample", Date: "2006-01-02", Slug: "sample", Image: image, ThemeImage: image, Images: []string{image}}
	var without, with bytes.Buffer
	if err := t.Execute(&without, &sample); err != nil {
		return err
	}
	sample.Theme = theme
	if err := t.Execute(&with, &sample); err != nil {
		return err
	}
	if err := checkFrontMatter(with.Bytes()); err != nil {
		return fmt.Errorf("theme %q: for an item with an image, %v: write every value with dq or sq", theme, err)
	}
	if bytes.Equal(without.Bytes(), with.Bytes()) {
		return fmt.Errorf("theme %q: the front-matter template does not use .Theme, so the theme would change nothing: "+
			"write the keys the theme reads in the template (docs/templates.md), or leave the theme out", theme)
	}
	return nil
}

// SocialImages returns Hugo's images key for an image: the image when it
// is an absolute URL. A file downloaded into the bundle (-images download)
// is left out: Hugo's social-card templates make a name absolute from the
// site's root, not the page's, which would point nowhere.
func SocialImages(image string) []string {
	if strings.HasPrefix(image, "https://") || strings.HasPrefix(image, "http://") {
		return []string{image}
	}
	return nil
}

// ThemeImage returns an image as the themes' keys carry it: PaperMod and
// Ananke look the value up among the page's resources as a glob pattern,
// and a pattern that does not compile ("a[b.png") stops the whole site's
// build. So '[', ']', '{', '}' and '\' are percent-encoded (as a browser
// sends them), except in the host of an absolute URL ("[::1]"): what is
// left of glob syntax, '*' and '?', always compiles.
func ThemeImage(image string) string {
	if !strings.ContainsAny(image, `[]{}\`) {
		return image
	}
	head := ""
	if i := strings.Index(image, "://"); i >= 0 {
		end := len(image)
		if j := strings.IndexAny(image[i+3:], "/?#"); j >= 0 {
			end = i + 3 + j
		}
		head, image = image[:end], image[end:]
	}
	return head + globEscaper.Replace(image)
}

var globEscaper = strings.NewReplacer("[", "%5B", "]", "%5D", "{", "%7B", "}", "%7D", `\`, "%5C")

// appendThemeKeys appends the keys of fm.Theme for the item's image, as
// the embedded template writes them (RenderDefault's part of it).
func appendThemeKeys(b []byte, fm *FrontMatter) []byte {
	if fm.Theme == "" {
		return b
	}
	if len(fm.Images) > 0 {
		b = append(b, "\nimages:"...)
		for _, im := range fm.Images {
			b = append(b, "\n- "...)
			b = append(b, SingleQuote(im)...)
		}
	}
	if fm.ThemeImage == "" {
		return b
	}
	switch fm.Theme {
	case "papermod":
		b = append(b, "\ncover:\n  image: "...)
		b = append(b, SingleQuote(fm.ThemeImage)...)
	case "ananke":
		b = append(b, "\nfeatured_image: "...)
		b = append(b, SingleQuote(fm.ThemeImage)...)
	}
	return b
}

// themeFolders map the folder names a theme is cloned under (its
// repository's name) to the known theme.
var themeFolders = map[string]string{
	"papermod": "papermod", "hugo-papermod": "papermod",
	"ananke": "ananke", "gohugo-theme-ananke": "ananke",
	"stack": "stack", "hugo-theme-stack": "stack",
}

// ThemeNotice returns a notice when the site's configuration names a
// theme that convert.Options.Theme knows, and theme (the Theme option) is
// empty or another: the flag that makes item images show in it. It
// returns "" otherwise, or when the folder is in no site.
func (s *Site) ThemeNotice(theme string) string {
	for _, f := range s.files {
		name := siteTheme(s.config(f))
		switch {
		case name == "":
			continue
		case name == theme:
			return ""
		case theme != "":
			return fmt.Sprintf("the site uses the %s theme (%s), not %s: use -theme %s so that item images show on its pages and lists",
				themeTitles[name], filepath.Base(f), theme, name)
		default:
			return fmt.Sprintf("the site uses the %s theme (%s): add -theme %s so that item images show on its pages and lists",
				themeTitles[name], filepath.Base(f), name)
		}
	}
	return ""
}

// siteTheme returns the known theme that a configuration file's theme key
// names (a string, or the first known one of a list), or "". m is the
// file read (nil: unreadable).
func siteTheme(m map[string]any) string {
	if m == nil {
		return ""
	}
	var names []any
	switch v := lookupFold(m, "theme").(type) {
	case string:
		names = []any{v}
	case []any:
		names = v
	}
	for _, n := range names {
		s, ok := n.(string)
		if !ok {
			continue
		}
		// "PaperMod", "hugo-PaperMod" or a module path such as
		// "github.com/CaiJimmy/hugo-theme-stack/v3": the last element names it.
		parts := strings.Split(strings.ToLower(strings.Trim(strings.TrimSpace(s), "/")), "/")
		s = parts[len(parts)-1]
		if len(parts) > 1 && len(s) > 1 && s[0] == 'v' && strings.Trim(s[1:], "0123456789") == "" {
			s = parts[len(parts)-2] // a module's major version: .../hugo-theme-stack/v3
		}
		if known, ok := themeFolders[s]; ok {
			return known
		}
	}
	return ""
}
