package folder

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"syscall"
)

// lockHolder returns the process id of the run that holds f's flock, as
// /proc/locks tells it ("" when it does not). The lock file holds no
// process id of its own, so that it never changes.
func lockHolder(f *os.File) string {
	info, err := f.Stat()
	if err != nil {
		return ""
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	dev := uint64(st.Dev)
	major := (dev>>8)&0xfff | (dev>>32)&^0xfff
	minor := dev&0xff | (dev>>12)&^0xff
	id := fmt.Sprintf("%02x:%02x:%d", major, minor, st.Ino)
	locks, err := os.Open("/proc/locks")
	if err != nil {
		return ""
	}
	defer locks.Close()
	sc := bufio.NewScanner(locks)
	for sc.Scan() {
		// 1: FLOCK  ADVISORY  WRITE 10935 fe:00:9979265 0 EOF
		// (a waiter's line has "->" after the number; we never wait in
		// the kernel, and skip them).
		fields := strings.Fields(sc.Text())
		if len(fields) >= 6 && fields[1] == "FLOCK" && fields[5] == id {
			return fields[4]
		}
	}
	return ""
}
