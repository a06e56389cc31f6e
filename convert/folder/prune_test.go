package folder

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"
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
