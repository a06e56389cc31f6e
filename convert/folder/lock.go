package folder

import (
	"context"
	"errors"
	"feed2md/convert/fetch"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// LockFile is the hidden file in the output folder that one run at a time
// holds locked. It is empty and never written: only its lock changes, and
// that lives in the kernel, so a run leaves the file's bytes and times as
// they were (see docs/safety.md).
const LockFile = ".feed2md.lock"

// LockedError is another run still holding the output folder when
// convert.Options.LockWait ran out.
type LockedError struct {
	Dir  string        // the output folder
	PID  string        // the other run's process id, "" where the system does not tell
	Wait time.Duration // how long this run waited
}

func (e *LockedError) Error() string {
	who := "another feed2md run"
	if e.PID != "" {
		who += " (pid " + e.PID + ")"
	}
	if e.Wait == 0 {
		return fmt.Sprintf("%s is writing to %s, and -lock-wait is 0 (do not wait): this run changed nothing; give -lock-wait a duration such as 10m, or run less often", who, e.Dir)
	}
	return fmt.Sprintf("%s is still writing to %s after %s (-lock-wait): this run changed nothing; raise -lock-wait, or run less often", who, e.Dir, fetch.FormatDuration(e.Wait))
}

// LinkError is a file of feed2md's own in the output folder (the lock, the
// identities file, a temporary file) found to be a symbolic link, or
// something else than a regular file. Following it could read or write
// outside the folder, so the run refuses it.
type LinkError struct {
	Path string // the file, as the folder and its name
	What string // "a symbolic link", "not a regular file"
}

func (e *LinkError) Error() string {
	return fmt.Sprintf("%s is %s: feed2md never follows one for its own files; remove it and run again", e.Path, e.What)
}

// openOwn opens a file of feed2md's own in the output folder without ever
// following a symbolic link: O_NOFOLLOW where the system has it, an Lstat
// before and a same-file check after everywhere. A link is reported as a
// *LinkError; so is anything that is not a regular file.
func openOwn(path string, flag int, perm os.FileMode) (*os.File, error) {
	before, lerr := os.Lstat(path)
	if lerr == nil && before.Mode()&os.ModeSymlink != 0 {
		return nil, &LinkError{Path: path, What: "a symbolic link"}
	}
	f, err := os.OpenFile(path, flag|oNoFollow, perm)
	if err != nil {
		// A link put there between the Lstat and the open.
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&os.ModeSymlink != 0 {
			return nil, &LinkError{Path: path, What: "a symbolic link"}
		}
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = &LinkError{Path: path, What: "not a regular file"}
	}
	if err == nil {
		// Where O_NOFOLLOW does not exist, a link swapped in after the
		// Lstat is caught here: the file opened is not the name's.
		if after, lerr := os.Lstat(path); lerr != nil || !os.SameFile(info, after) {
			err = &LinkError{Path: path, What: "a symbolic link"}
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// ReadOwn reads a file of feed2md's own in the output folder, refusing a
// link as openOwn does.
func ReadOwn(path string) ([]byte, error) {
	f, err := openOwn(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// folderLock is the held lock of an output folder.
type folderLock struct{ f *os.File }

// lockFolder takes the lock of dir, waiting up to wait while another run
// holds it; onWait is called once when it has to wait, with the other
// run's process id, or "unknown". The lock file is created when missing
// and never written.
func lockFolder(ctx context.Context, dir string, wait time.Duration, onWait func(pid string)) (*folderLock, error) {
	path := filepath.Join(dir, LockFile)
	f, err := openOwn(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("output folder lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	waited := false
	for {
		err := tryLock(f)
		if err == nil {
			break
		}
		if !errors.Is(err, errWouldBlock) {
			f.Close()
			return nil, fmt.Errorf("output folder lock: %w", err)
		}
		pid := lockHolder(f)
		if time.Now().After(deadline) {
			f.Close()
			return nil, &LockedError{Dir: dir, PID: pid, Wait: wait}
		}
		if !waited && onWait != nil {
			if pid == "" {
				pid = "unknown"
			}
			onWait(pid)
		}
		waited = true
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return &folderLock{f: f}, nil
}

// unlock releases the lock. The file stays: removing it would race with a
// run that has just opened it.
func (l *folderLock) unlock() {
	if l != nil && l.f != nil {
		unlockFile(l.f)
		l.f.Close()
	}
}

// Opener makes the output folder ready for the first write of a run:
// it creates the folder, takes its lock and checks that the folder's own
// files are no links. It does so once, right before the first item is
// given a file, so that a run with nothing to write (every feed failed,
// unchanged, or empty) creates nothing at all. Later calls return the
// first call's error. A dry run writes nothing and takes no lock. It is
// safe for concurrent use.
type Opener struct {
	Dir    string
	DryRun bool
	Wait   time.Duration    // how long to wait for another run's lock
	OnWait func(pid string) // told when this run waits

	mu   sync.Mutex
	lock *folderLock // taken by open before the first write; nil until then
	err  error       // why open failed; every later write fails the same way
}

// Open makes the folder ready (see opener), once.
func (o *Opener) Open(ctx context.Context) error {
	if o.DryRun {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.lock != nil || o.err != nil {
		return o.err
	}
	dir := o.Dir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		o.err = folderError(dir, err)
		return o.err
	}
	lock, err := lockFolder(ctx, dir, o.Wait, o.OnWait)
	if err != nil {
		o.err = folderError(dir, err)
		return o.err
	}
	// The identities file is read and replaced later in the run: a link
	// there stops the run before any file is written.
	if info, err := os.Lstat(filepath.Join(dir, IDsFile)); err == nil && !info.Mode().IsRegular() {
		lock.unlock()
		what := "not a regular file"
		if info.Mode()&os.ModeSymlink != 0 {
			what = "a symbolic link"
		}
		o.err = fmt.Errorf("output folder: %w", &LinkError{Path: filepath.Join(dir, IDsFile), What: what})
		return o.err
	}
	o.lock = lock
	return nil
}

// Opened reports whether open took the lock: whether any item was given
// a file.
func (o *Opener) Opened() bool { return o.lock != nil }

// Close releases the folder's lock, if open took it.
func (o *Opener) Close() { o.lock.unlock() }

// folderError words an error of creating or locking the output folder:
// a file system that is full, over quota or read-only says so, and what
// to do, in our words (nothing was written); other errors keep their
// text.
func folderError(dir string, err error) error {
	if _, _, ok := FullCause(err); ok {
		return &folderFullError{dir, err}
	}
	var le *LockedError
	if errors.As(err, &le) || strings.HasPrefix(err.Error(), "output folder") {
		return err
	}
	return fmt.Errorf("output folder: %w", err)
}

// folderFullError is an output folder that could not be created or
// locked because its file system is full, over quota or read-only.
type folderFullError struct {
	dir string
	err error
}

func (e *folderFullError) Error() string {
	what, hint, _ := FullCause(e.err)
	return fmt.Sprintf("output folder %s: %s: nothing written; %s and run again", e.dir, what, hint)
}

func (e *folderFullError) Unwrap() error { return e.err }
