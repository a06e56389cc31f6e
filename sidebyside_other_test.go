//go:build !linux

package main

// benchChild does nothing where BenchmarkSideBySide does not run: it reads
// peak RSS as Linux reports it.
func benchChild() {}
