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

// HugoWarning returns a warning when dir lies inside a Hugo site whose
// configuration does not set markup.goldmark.renderer.unsafe = true and
// bodies are HTML (html): stock Hugo would print "raw HTML omitted"
// instead of them. It returns "" otherwise, or when no site is found.
func HugoWarning(dir string, html bool) string {
	if !html {
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		files := siteConfigFiles(d)
		if len(files) > 0 {
			for _, f := range files {
				if unsafeHTMLAllowed(f) {
					return ""
				}
			}
			return fmt.Sprintf("%s is in a Hugo site (%s) that does not set markup.goldmark.renderer.unsafe = true: "+
				"Hugo will show HTML bodies as \"raw HTML omitted\"; use -body markdown, or set unsafe = true under [markup.goldmark.renderer]",
				dir, filepath.Base(files[0]))
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// SiteTimeZone returns the timeZone set by the configuration of the Hugo
// site that dir lies in: Hugo reads a front-matter date without a zone
// (the day alone) in it, so the date rule must too (convert.Options.SiteZone).
// It returns nil when dir is in no site or the site sets none (Hugo then
// reads UTC), and an error naming the file when the value is not a zone
// name: Hugo 0.111 will not build such a site ("invalid timeZone").
func SiteTimeZone(dir string) (*time.Location, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil
	}
	for d := abs; ; d = filepath.Dir(d) {
		if files := siteConfigFiles(d); len(files) > 0 {
			for _, f := range files {
				if strings.HasPrefix(filepath.Base(f), "markup.") {
					continue
				}
				v, ok := lookupFold(readSiteConfig(f), "timeZone").(string)
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
		if filepath.Dir(d) == d {
			return nil, nil
		}
	}
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

// unsafeHTMLAllowed reports whether a configuration file sets
// markup.goldmark.renderer.unsafe to true (a markup.* file holds the
// markup table itself).
func unsafeHTMLAllowed(path string) bool {
	m := readSiteConfig(path)
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
