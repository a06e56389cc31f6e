package folder

import (
	"context"
	"errors"
	"feed2md/convert/feed/feedtest"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"
)

// TestTempNamesNeverFollowLinks: a temporary name taken by a link to a
// file outside the folder (one that does not exist, which O_CREAT alone
// would create) is skipped for another name; a stale link of that name is
// removed as a stale temporary file is, and its target left alone.
func TestTempNamesNeverFollowLinks(t *testing.T) {
	out, outside := t.TempDir(), t.TempDir()
	victim := filepath.Join(outside, "victim")
	feedtest.SymlinkOrSkip(t, victim, filepath.Join(out, TmpPrefix+"taken"))
	names := []string{TmpPrefix + "taken", TmpPrefix + "free"}
	f, err := createTemp(out, func() string { n := names[0]; names = names[1:]; return n })
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("data"))
	f.Close()
	if filepath.Base(f.Name()) != TmpPrefix+"free" {
		t.Errorf("temporary file %s, want the free name", f.Name())
	}
	if _, err := os.Lstat(victim); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the link's target was created: %v", err)
	}
	os.Remove(f.Name())

}

// TestLockHolderNamed: on Linux the waiting run learns the holder's
// process id from the kernel, the lock file holding none.
func TestLockHolderNamed(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "plan9" {
		t.Skip("SKIPPED: no flock on " + runtime.GOOS + ": overlapping runs are not guarded there")
	}
	out := t.TempDir()
	held, err := lockFolder(context.Background(), out, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer held.unlock()
	// A second open file description of the same file: flock treats it as
	// another holder, as it would another process.
	var waitedFor string
	_, err = lockFolder(context.Background(), out, 150*time.Millisecond, func(pid string) { waitedFor = pid })
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("err %v, want a LockedError", err)
	}
	want := ""
	if runtime.GOOS == "linux" {
		want = strconv.Itoa(os.Getpid())
	}
	if le.PID != want {
		t.Errorf("PID %q, want %q", le.PID, want)
	}
	if waitedFor == "" || (want != "" && waitedFor != want) {
		t.Errorf("onWait got %q", waitedFor)
	}
	if data, err := os.ReadFile(filepath.Join(out, LockFile)); err != nil || len(data) != 0 {
		t.Errorf("the lock file holds %q (%v), want nothing", data, err)
	}
}

// TestLinkedIDsFileNotRead: even where the lock is not taken (a dry run),
// the identities file is not read through a link.
func TestLinkedIDsFileNotRead(t *testing.T) {
	out, outside := t.TempDir(), t.TempDir()
	victim := filepath.Join(outside, "secret.json")
	if err := os.WriteFile(victim, []byte(`{"guid:g-1": "stolen"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	feedtest.SymlinkOrSkip(t, victim, filepath.Join(out, IDsFile))
	// A file the stolen identity names, so that reading it would show.
	if err := os.WriteFile(filepath.Join(out, "stolen.md"), []byte("---\ntitle: \"x\"\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ := OpenStore(out, false, true)
	s.mu.Lock()
	err := s.index()
	s.mu.Unlock()
	var le *LinkError
	if !errors.As(err, &le) {
		t.Fatalf("index: %v, want a link error", err)
	}
	if len(s.byKey) != 0 {
		t.Errorf("identities read through the link: %v", s.byKey)
	}
}
