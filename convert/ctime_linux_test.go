package convert

import (
	"io/fs"
	"syscall"
	"time"
)

// changeTime is a file's status change time (ctime).
func changeTime(info fs.FileInfo) time.Time {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
	}
	return time.Time{}
}
