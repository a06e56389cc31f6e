package fetch

import "syscall"

// adviseHugePages asks the kernel to back b with huge pages where it can.
// A large feed's buffer is filled by one read from the page cache; with 4
// KB pages most of that read's time goes into faulting the pages in (0.2 s
// of 67 MB here, against 0.02 s with 2 MB pages). It is advice: when the
// kernel does not take it, nothing changes.
func adviseHugePages(b []byte) {
	if len(b) >= 4<<20 {
		syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	}
}
