package convert

import (
	"io/fs"
	"testing/fstest"
)

// mapFS is an in-memory file system of name → content.
type mapFS map[string]string

func (m mapFS) Open(name string) (fs.File, error) {
	files := fstest.MapFS{}
	for k, v := range m {
		files[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return files.Open(name)
}
