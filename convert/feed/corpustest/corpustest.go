// Package corpustest reads, for the tests and benchmarks of the stages,
// the feeds they are checked against: the shared corpus of real feeds
// (../shared/corpus beside the clone) and the project's testdata. It is
// test support, like net/http/httptest; the command never imports it.
package corpustest

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"feed2md/convert/feed"

	"github.com/mmcdole/gofeed"
)

// ModuleRoot returns the folder of the module's go.mod, found from the
// test's working folder up.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			t.Fatal("no go.mod above the test's folder")
		}
		dir = up
	}
}

// SharedDir returns ../shared beside the clone, and skips the test, saying
// so, when it is missing.
func SharedDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(filepath.Dir(ModuleRoot(t)), "shared")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("SKIPPED: %s is missing: this test needs the shared spec and corpus beside the clone", dir)
	}
	return dir
}

// Files lists the files under root (the corpus of real feeds) in the
// order of their paths, leaving out its MANIFEST.tsv.
func Files(t testing.TB, root string) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasSuffix(path, ".tsv") {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	return paths
}

// ReadFeed parses the feed file at path whole, decoded as the tool
// decodes it; nil when it is not a feed gofeed reads.
func ReadFeed(t testing.TB, path string) *gofeed.Feed {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := feed.Decode(data, "", 0)
	if err != nil {
		return nil
	}
	f, err := feed.ParseFeed(d)
	if err != nil {
		return nil
	}
	return f
}

// FeedText is what the body tests read of a feed file: whether it parses
// as the tool decodes it (OK), whether it is XML, and the content and
// description of each item, in order.
type FeedText struct {
	OK, XML bool
	Items   [][2]string // content, description
}

// feedTexts holds FeedText by path: the corpus is parsed once per test
// binary, not once per test that reads its bodies.
var feedTexts sync.Map

// ReadFeedText returns the FeedText of the file at path. Tests share it;
// a benchmark parses afresh, so that no cache weighs on what it measures.
func ReadFeedText(t testing.TB, path string) *FeedText {
	t.Helper()
	_, bench := t.(*testing.B)
	if !bench {
		if ft, ok := feedTexts.Load(path); ok {
			return ft.(*FeedText)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ft := &FeedText{}
	if d, err := feed.Decode(data, "", 0); err == nil {
		ft.XML = d.Kind == feed.KindXML
		if f, err := feed.ParseFeed(d); err == nil {
			ft.OK = true
			for _, it := range f.Items {
				ft.Items = append(ft.Items, [2]string{it.Content, it.Description})
			}
		}
	}
	if !bench {
		feedTexts.Store(path, ft)
	}
	return ft
}

// XMLFeedBodies calls fn with the content and description of each item of
// each XML feed under roots, in the order of the roots and of the files'
// paths; files that are not XML feeds gofeed reads are passed over.
func XMLFeedBodies(t testing.TB, fn func(content, description string), roots ...string) {
	t.Helper()
	for _, root := range roots {
		var paths []string
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				paths = append(paths, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(paths)
		for _, path := range paths {
			ft := ReadFeedText(t, path)
			if !ft.OK || !ft.XML {
				continue
			}
			for _, it := range ft.Items {
				fn(it[0], it[1])
			}
		}
	}
}

// RealBodies collects the HTML bodies of real blog posts from the RSS and
// Atom feeds of ../shared/corpus/realworld: every item body of at least
// 1 KB, in a fixed order.
func RealBodies(t testing.TB) []string {
	root := filepath.Join(SharedDir(t), "corpus", "realworld")
	var bodies []string
	XMLFeedBodies(t, func(content, description string) {
		body := content
		if body == "" {
			body = description
		}
		if len(body) >= 1024 && utf8.ValidString(body) {
			bodies = append(bodies, body)
		}
	}, root)
	if len(bodies) < 100 {
		t.Fatalf("only %d real bodies of 1 KB or more in %s", len(bodies), root)
	}
	return bodies
}
