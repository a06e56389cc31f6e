package convert

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// lockFile is the hidden file in the output folder that one run at a time
// holds locked.
const lockFile = ".feed2md.lock"

// LockedError is another run still holding the output folder when
// Options.LockWait ran out.
type LockedError struct {
	Dir  string        // the output folder
	PID  string        // the other run's process id, as it wrote it
	Wait time.Duration // how long this run waited
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another feed2md run (pid %s) is still writing to %s after %s: this run changed nothing; raise -lock-wait, or run less often", e.PID, e.Dir, e.Wait)
}

// folderLock is the held lock of an output folder.
type folderLock struct{ f *os.File }

// lockFolder takes the lock of dir, waiting up to wait while another run
// holds it; onWait is called once when it has to wait.
func lockFolder(ctx context.Context, dir string, wait time.Duration, onWait func(pid string)) (*folderLock, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
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
		data, _ := os.ReadFile(path)
		pid := strings.TrimSpace(string(data))
		if time.Now().After(deadline) {
			f.Close()
			return nil, &LockedError{Dir: dir, PID: pid, Wait: wait}
		}
		if !waited && onWait != nil {
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
	f.Truncate(0)
	f.WriteAt([]byte(fmt.Sprintf("%d\n", os.Getpid())), 0)
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
