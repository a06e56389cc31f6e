//go:build !linux

package folder

import "os"

// lockHolder would return the process id of the run that holds f's lock;
// only Linux tells it (in /proc/locks), so here it is unknown.
func lockHolder(f *os.File) string { return "" }
