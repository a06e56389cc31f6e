package feed

import (
	"os"
	"path/filepath"
	"testing"
)

// The sum of a streamed local file is of the file read, or none: a file
// put in its place during the run must not be taken as converted.
func TestHashFileAsyncReplaced(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "xml")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := hashFileAsync(f)(), HashBytes([]byte("old")); got != want {
		t.Errorf("sum %q, want %q", got, want)
	}
	if err := os.WriteFile(path+".new", []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(path+".new", path); err != nil {
		t.Fatal(err)
	}
	if got := hashFileAsync(f)(); got != "" {
		t.Errorf("sum %q of a file replaced since it was opened, want none", got)
	}
}
