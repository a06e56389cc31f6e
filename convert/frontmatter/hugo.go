package frontmatter

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// hugoConfigs are the configuration files that mark a Hugo site's root,
// in Hugo's order, and, under config/_default, the files that may hold
// the markup settings.
var (
	hugoConfigs    = []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json"}
	hugoConfigDirs = []string{"hugo", "config", "markup"}
)

// Site is the Hugo site a folder lies in, as FindSite found it: the
// configuration files of its root, each read at most once however many
// questions are asked of it.
type Site struct {
	dir   string                    // the folder asked about, as given
	files []string                  // the root's configuration files, in Hugo's order; none outside a site
	read  map[string]map[string]any // the files read so far (nil: unreadable)
}

// FindSite finds the Hugo site dir lies in: the nearest folder, from dir
// up, that holds a configuration file (hugoConfigs). A dir in no site
// gives a Site with no files, whose questions all have the answer for no
// site. The command asks three questions of the output folder's site
// (TimeZone, HugoWarning, ThemeNotice); each walked up the folders and
// read the files on its own before, some sixty stats a folder level.
func FindSite(dir string) *Site {
	s := &Site{dir: dir, read: map[string]map[string]any{}}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return s
	}
	for d := abs; ; d = filepath.Dir(d) {
		if s.files = siteConfigFiles(d); len(s.files) > 0 || filepath.Dir(d) == d {
			return s
		}
	}
}

// config is the configuration file f read into a map (readSiteConfig),
// read once.
func (s *Site) config(f string) map[string]any {
	m, ok := s.read[f]
	if !ok {
		m = readSiteConfig(f)
		s.read[f] = m
	}
	return m
}

// HugoWarning returns a warning when the site does not set
// markup.goldmark.renderer.unsafe = true and bodies are HTML (html): stock
// Hugo would print "raw HTML omitted" instead of them. It returns ""
// otherwise, or when the folder is in no site.
func (s *Site) HugoWarning(html bool) string {
	if !html || len(s.files) == 0 {
		return ""
	}
	for _, f := range s.files {
		if unsafeHTMLAllowed(s.config(f), f) {
			return ""
		}
	}
	return fmt.Sprintf("%s is in a Hugo site (%s) that does not set markup.goldmark.renderer.unsafe = true: "+
		"Hugo will show HTML bodies as \"raw HTML omitted\"; use -body markdown, or set unsafe = true under [markup.goldmark.renderer]",
		s.dir, filepath.Base(s.files[0]))
}

// TimeZone returns the timeZone the site's configuration sets: Hugo reads
// a front-matter date without a zone (the day alone) in it, so the date
// rule must too (convert.Options.SiteZone). It returns nil when the folder
// is in no site or the site sets none (Hugo then reads UTC), and an error
// naming the file when the value is not a zone name: Hugo 0.111 will not
// build such a site ("invalid timeZone").
func (s *Site) TimeZone() (*time.Location, error) {
	for _, f := range s.files {
		if strings.HasPrefix(filepath.Base(f), "markup.") {
			continue
		}
		v, ok := lookupFold(s.config(f), "timeZone").(string)
		if !ok {
			continue
		}
		loc, err := time.LoadLocation(v)
		if err != nil {
			return nil, fmt.Errorf("%s sets timeZone %q, which is not a zone name such as Europe/Paris: Hugo will not build the site", f, v)
		}
		return loc, nil
	}
	return nil, nil
}

// siteConfigFiles returns the Hugo configuration files of a site rooted
// at d, or none when d is not a site's root.
func siteConfigFiles(d string) []string {
	var files []string
	for _, name := range hugoConfigs {
		if p := filepath.Join(d, name); isFile(p) {
			files = append(files, p)
		}
	}
	if !isDir(filepath.Join(d, "config", "_default")) {
		return files
	}
	for _, base := range hugoConfigDirs {
		for _, ext := range []string{".toml", ".yaml", ".yml", ".json"} {
			if p := filepath.Join(d, "config", "_default", base+ext); isFile(p) {
				files = append(files, p)
			}
		}
	}
	return files
}

func isFile(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.Mode().IsRegular()
}

func isDir(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// readSiteConfig reads a Hugo configuration file (TOML, JSON, or YAML by
// its extension) into a map; nil when it cannot be read or parsed.
func readSiteConfig(path string) map[string]any {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var m map[string]any
	switch strings.ToLower(filepath.Ext(path)) {
	case ".toml":
		err = toml.Unmarshal(data, &m)
	case ".json":
		err = json.Unmarshal(data, &m)
	default:
		err = yaml.Unmarshal(data, &m)
	}
	if err != nil {
		return nil
	}
	return m
}

// unsafeHTMLAllowed reports whether m, the configuration file at path,
// sets markup.goldmark.renderer.unsafe to true (a markup.* file holds the
// markup table itself).
func unsafeHTMLAllowed(m map[string]any, path string) bool {
	if m == nil {
		return false
	}
	keys := []string{"markup", "goldmark", "renderer", "unsafe"}
	if strings.HasPrefix(filepath.Base(path), "markup.") {
		keys = keys[1:]
	}
	var v any = m
	for _, k := range keys {
		mm, ok := v.(map[string]any)
		if !ok {
			return false
		}
		v = lookupFold(mm, k)
	}
	b, ok := v.(bool)
	return ok && b
}

// lookupFold finds a key case-insensitively, as Hugo does.
func lookupFold(m map[string]any, key string) any {
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}
