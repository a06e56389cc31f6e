package folder

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPruneOnlyItsNames: Prune removes only a SLUG.md or SLUG/index.md
// of the folder: a name of the state file that leads out of it, or to
// another file, is refused, whatever its sum.
func TestPruneOnlyItsNames(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "out")
	if err := os.MkdirAll(filepath.Join(dir, "s"), 0o755); err != nil {
		t.Fatal(err)
	}
	data := []byte("precious\n")
	sum := sha256.Sum256(data)
	for _, p := range []string{filepath.Join(root, "outside.md"), filepath.Join(dir, "s", "notes.txt"), filepath.Join(dir, "s", "a.md")} {
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := OpenStore(dir, false, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"../outside.md", "s/notes.txt", "s/a.md", filepath.Join(root, "outside.md")} {
		if out, err := st.Prune(name, hex.EncodeToString(sum[:]), nil); err == nil {
			t.Errorf("Prune(%q) = %s, want an error", name, out)
		}
	}
	for _, p := range []string{filepath.Join(root, "outside.md"), filepath.Join(dir, "s", "notes.txt"), filepath.Join(dir, "s", "a.md")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}

// TestPruneBundleImages: a bundle goes with the images feed2md saved, but
// an image replaced after its index.md was last written is the user's:
// it stays, and so does the folder.
func TestPruneBundleImages(t *testing.T) {
	dir := t.TempDir()
	bundle := filepath.Join(dir, "post")
	if err := os.MkdirAll(bundle, 0o755); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for _, name := range []string{"a.png", "b.png"} {
		p := filepath.Join(bundle, name)
		if err := os.WriteFile(p, []byte("image"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	index := []byte("---\ntitle: \"Post\"\n---\n")
	if err := os.WriteFile(filepath.Join(bundle, "index.md"), index, 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(bundle, "b.png"), later, later); err != nil { // replaced by the user
		t.Fatal(err)
	}
	st, err := OpenStore(dir, true, false)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(index)
	out, err := st.Prune("post/index.md", hex.EncodeToString(sum[:]), []string{"a.png", "b.png"})
	if err != nil || out != PruneRemoved {
		t.Fatalf("Prune = %s, %v", out, err)
	}
	for name, want := range map[string]bool{"index.md": false, "a.png": false, "b.png": true} {
		if _, err := os.Stat(filepath.Join(bundle, name)); (err == nil) != want {
			t.Errorf("%s there: %t, want %t", name, err == nil, want)
		}
	}
}
