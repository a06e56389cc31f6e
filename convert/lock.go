package convert

import (
	"context"
	"errors"
	"feed2md/convert/fetch"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// lockFile is the hidden file in the output folder that one run at a time
// holds locked. It is empty and never written: only its lock changes, and
// that lives in the kernel, so a run leaves the file's bytes and times as
// they were (see docs/safety.md).
const lockFile = ".feed2md.lock"

// LockedError is another run still holding the output folder when
// Options.LockWait ran out.
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

// linkError is a file of feed2md's own in the output folder (the lock, the
// identities file, a temporary file) found to be a symbolic link, or
// something else than a regular file. Following it could read or write
// outside the folder, so the run refuses it.
type linkError struct {
	Path string // the file, as the folder and its name
	What string // "a symbolic link", "not a regular file"
}

func (e *linkError) Error() string {
	return fmt.Sprintf("%s is %s: feed2md never follows one for its own files; remove it and run again", e.Path, e.What)
}

// openOwn opens a file of feed2md's own in the output folder without ever
// following a symbolic link: O_NOFOLLOW where the system has it, an Lstat
// before and a same-file check after everywhere. A link is reported as a
// *linkError; so is anything that is not a regular file.
func openOwn(path string, flag int, perm os.FileMode) (*os.File, error) {
	before, lerr := os.Lstat(path)
	if lerr == nil && before.Mode()&os.ModeSymlink != 0 {
		return nil, &linkError{Path: path, What: "a symbolic link"}
	}
	f, err := os.OpenFile(path, flag|oNoFollow, perm)
	if err != nil {
		// A link put there between the Lstat and the open.
		if info, lerr := os.Lstat(path); lerr == nil && info.Mode()&os.ModeSymlink != 0 {
			return nil, &linkError{Path: path, What: "a symbolic link"}
		}
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = &linkError{Path: path, What: "not a regular file"}
	}
	if err == nil {
		// Where O_NOFOLLOW does not exist, a link swapped in after the
		// Lstat is caught here: the file opened is not the name's.
		if after, lerr := os.Lstat(path); lerr != nil || !os.SameFile(info, after) {
			err = &linkError{Path: path, What: "a symbolic link"}
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readOwn reads a file of feed2md's own in the output folder, refusing a
// link as openOwn does.
func readOwn(path string) ([]byte, error) {
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
	path := filepath.Join(dir, lockFile)
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

// openFolder makes the output folder ready for the first write of a run:
// it creates the folder, takes its lock and checks that the folder's own
// files are no links. It does so once, right before the first item is
// given a file, so that a run with nothing to write (every feed failed,
// unchanged, or empty) creates nothing at all. Later calls return the
// first call's error. A dry run writes nothing and takes no lock.
func (c *Converter) openFolder(ctx context.Context) error {
	if c.opts.DryRun {
		return nil
	}
	c.lockMu.Lock()
	defer c.lockMu.Unlock()
	if c.lock != nil || c.lockErr != nil {
		return c.lockErr
	}
	dir := c.opts.OutputDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		c.lockErr = folderError(dir, err)
		return c.lockErr
	}
	lock, err := lockFolder(ctx, dir, c.opts.LockWait, c.opts.OnWait)
	if err != nil {
		c.lockErr = folderError(dir, err)
		return c.lockErr
	}
	// The identities file is read and replaced later in the run: a link
	// there stops the run before any file is written.
	if info, err := os.Lstat(filepath.Join(dir, idsFile)); err == nil && !info.Mode().IsRegular() {
		lock.unlock()
		what := "not a regular file"
		if info.Mode()&os.ModeSymlink != 0 {
			what = "a symbolic link"
		}
		c.lockErr = fmt.Errorf("output folder: %w", &linkError{Path: filepath.Join(dir, idsFile), What: what})
		return c.lockErr
	}
	c.lock = lock
	return nil
}

// folderError words an error of creating or locking the output folder:
// a file system that is full, over quota or read-only says so, and what
// to do, in our words (nothing was written); other errors keep their
// text.
func folderError(dir string, err error) error {
	if _, _, ok := fullCause(err); ok {
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
	what, hint, _ := fullCause(e.err)
	return fmt.Sprintf("output folder %s: %s: nothing written; %s and run again", e.dir, what, hint)
}

func (e *folderFullError) Unwrap() error { return e.err }
