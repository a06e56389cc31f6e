package folder

// Files written whole or not at all: a temporary file in the same
// folder, synced, then renamed over the name.

import (
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// AtomicWrite is WriteFile for an item's file, unless a write found the
// file system full (or read-only) before: from then on nothing is
// written, and every write fails with that first error.
func (s *Store) AtomicWrite(path string, data []byte) error {
	if err := s.Full(); err != nil {
		return err
	}
	err := WriteFile(path, data)
	if IsFull(err) {
		s.SetFull(err)
	}
	return err
}

// WriteFile writes data to a temporary file beside path and renames it
// over path, so that the file is whole or not there at all. On any error
// the temporary file is removed. The temporary file is created with mode
// 0644 (less the umask) and O_EXCL under a random name.
func WriteFile(path string, data []byte) error {
	return atomicWriteFunc(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteFilePrivate is WriteFile of a file only its owner may read
// (mode 0600), from its first byte on.
func WriteFilePrivate(path string, data []byte) error {
	return atomicWriteMode(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// atomicWriteFunc is WriteFile with the bytes written by write.
func atomicWriteFunc(path string, write func(io.Writer) error) (err error) {
	return atomicWriteMode(path, 0, write)
}

// atomicWriteMode is atomicWriteFunc with the file's mode set to perm
// (0 for the usual 0644 less the umask) before anything is written.
func atomicWriteMode(path string, perm os.FileMode, write func(io.Writer) error) (err error) {
	tmp, err := createTemp(filepath.Dir(path), randomTempName)
	if err != nil {
		return err
	}
	if perm != 0 {
		if err = tmp.Chmod(perm); err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			return err
		}
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if WriteFault != nil {
		if err = WriteFault(path); err != nil {
			return err
		}
	}
	if err = write(tmp); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteFault, when a test sets it, is called with the path of each file
// about to be written, its temporary file made, and an error it returns
// fails the write there, as a full disk does. It is always nil otherwise.
var WriteFault func(path string) error

// createTemp creates a new temporary file in dir under a name from name,
// trying another name while one is taken. O_EXCL never opens an existing
// name, a symbolic link included, and O_NOFOLLOW says so twice.
func createTemp(dir string, name func() string) (*os.File, error) {
	for try := 0; ; try++ {
		tmp, err := os.OpenFile(filepath.Join(dir, name()), os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow, 0o644)
		if err == nil {
			return tmp, nil
		}
		if !errors.Is(err, fs.ErrExist) || try == 10 {
			return nil, err
		}
	}
}

// randomTempName is a temporary file's name: TmpPrefix and a random part.
func randomTempName() string {
	return TmpPrefix + strconv.FormatUint(rand.Uint64(), 36)
}
