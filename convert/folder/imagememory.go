package folder

import (
	"encoding/json"
	"errors"
	"feed2md/convert/body"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// ImagesFile is the hidden file in the output folder that remembers, for
// each bundle, which URL each image file came from, so that a re-run
// makes no request for an image already saved. It is separate from
// IDsFile, which remembers items.
const ImagesFile = ".feed2md-images.json"

// ImageMemory is the content of ImagesFile: bundle (its folder, relative
// to the output folder, with '/') → file name → URL. It is safe for
// concurrent use.
type ImageMemory struct {
	Dir    string // the output folder
	DryRun bool

	mu      sync.Mutex
	loaded  bool
	bundles map[string]map[string]string
	byURL   map[string]imageLoc // a file saved from each URL, for elsewhere
	dirty   bool
}

// imageLoc is a file of a bundle.
type imageLoc struct{ bundle, name string }

// load reads ImagesFile once. A damaged or missing file is an empty
// memory: images are then fetched again, or adopted from the bundle
// (ImageMemory.Adopt).
// The caller holds mu.
func (m *ImageMemory) load() {
	if m.loaded {
		return
	}
	m.loaded = true
	m.bundles = map[string]map[string]string{}
	m.byURL = map[string]imageLoc{}
	data, err := ReadOwn(filepath.Join(m.Dir, ImagesFile)) // never through a link
	if err != nil {
		return
	}
	var b map[string]map[string]string
	if json.Unmarshal(data, &b) != nil {
		m.dirty = true
		return
	}
	for bundle, files := range b {
		if !SafeImageName(bundle) {
			// Bundles are folders of the output folder itself.
			m.dirty = true
			continue
		}
		for name, u := range files {
			if !SafeImageName(name) || u == "" {
				m.dirty = true
				continue
			}
			if m.bundles[bundle] == nil {
				m.bundles[bundle] = map[string]string{}
			}
			m.bundles[bundle][name] = u
			m.byURL[u] = imageLoc{bundle, name}
		}
	}
}

// SafeImageName reports a name that may be joined to a bundle's folder:
// one plain, visible file name.
func SafeImageName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.HasPrefix(name, ".") &&
		!strings.ContainsAny(name, `/\`+"\x00") && filepath.Base(name) == name
}

// Known reports whether the bundle has any memory at all.
func (m *ImageMemory) Known(bundle string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.load()
	return len(m.bundles[bundle]) > 0
}

// Lookup returns the file of bundle that u was saved as, if the memory
// has one.
func (m *ImageMemory) Lookup(bundle, u string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.load()
	for name, v := range m.bundles[bundle] {
		if v == u {
			return name, true
		}
	}
	return "", false
}

// Adopt looks in dir for the file u would have been saved as, given the
// names the bundle's memory holds: a whole file whose bytes are of the
// type its extension says. It records and returns it.
func (m *ImageMemory) Adopt(bundle, dir, u string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.load()
	files := m.bundles[bundle]
	for _, ext := range []string{".jpg", ".png", ".gif", ".webp"} {
		n := body.ImageName(u, ext, func(n string) bool { _, ok := files[n]; return ok })
		if t, ok := sniffFile(filepath.Join(dir, n)); ok && body.RasterTypes[t] == ext {
			m.record(bundle, n, u)
			return n, true
		}
	}
	return "", false
}

// Elsewhere returns another bundle's file saved from u, to copy instead of
// fetching u again.
func (m *ImageMemory) Elsewhere(bundle, u string) (string, string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.load()
	l, ok := m.byURL[u]
	if !ok || l.bundle == bundle {
		return "", "", false
	}
	return l.bundle, l.name, true
}

// Reserve picks a free name for u in bundle (see ImageName: not in the
// memory, not a file in dir, not index.md) and records it.
func (m *ImageMemory) Reserve(bundle, dir, u, ext string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.load()
	files := m.bundles[bundle]
	if files == nil {
		files = map[string]string{}
		m.bundles[bundle] = files
	}
	name := body.ImageName(u, ext, func(n string) bool {
		if _, ok := files[n]; ok || n == "index.md" {
			return true
		}
		_, err := os.Lstat(filepath.Join(dir, n))
		return !errors.Is(err, fs.ErrNotExist)
	})
	files[name] = u
	m.dirty = true
	// Where the image already is stays where another item copies it
	// from: this name is not written yet.
	if _, ok := m.byURL[u]; !ok {
		m.byURL[u] = imageLoc{bundle, name}
	}
	return name
}

// record is set with mu held.
func (m *ImageMemory) record(bundle, name, u string) {
	if m.bundles[bundle] == nil {
		m.bundles[bundle] = map[string]string{}
	}
	m.bundles[bundle][name] = u
	m.byURL[u] = imageLoc{bundle, name}
	m.dirty = true
}

// Files returns the names of the files of bundle that the memory knows
// (those feed2md saved), sorted.
func (m *ImageMemory) Files(bundle string) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.load()
	names := make([]string, 0, len(m.bundles[bundle]))
	for name := range m.bundles[bundle] {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Forget drops a file from the memory: its write failed, or it is gone.
func (m *ImageMemory) Forget(bundle, name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if files := m.bundles[bundle]; files != nil {
		if u, ok := files[name]; ok {
			if m.byURL[u] == (imageLoc{bundle, name}) {
				delete(m.byURL, u)
			}
			delete(files, name)
			if len(files) == 0 {
				delete(m.bundles, bundle)
			}
			m.dirty = true
		}
	}
}

// Save writes ImagesFile when the memory changed (never in a dry run).
func (m *ImageMemory) Save() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.dirty || m.DryRun {
		return nil
	}
	data, err := json.MarshalIndent(m.bundles, "", "  ") // keys sorted: stable bytes
	if err != nil {
		return err
	}
	if err := WriteFile(filepath.Join(m.Dir, ImagesFile), append(data, '\n')); err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	m.dirty = false
	return nil
}

// WholeFile reports a regular, non-empty file (files are only ever
// written whole, by a rename).
func WholeFile(path string) bool {
	info, err := os.Lstat(path)
	return err == nil && info.Mode().IsRegular() && info.Size() > 0
}

// sniffFile returns the sniffed type of a regular file's first bytes.
func sniffFile(path string) (string, bool) {
	if !WholeFile(path) {
		return "", false
	}
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", false
	}
	return http.DetectContentType(buf[:n]), true
}
