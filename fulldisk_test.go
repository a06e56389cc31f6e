package main

import (
	"errors"
	"testing"

	"feed2md/convert"
	"feed2md/convert/folder"
)

// TestReportFullDisk: a feed stopped by a full disk says so in its
// summary line and its -json counts, and the error that says it is not
// counted as a failed item.
func TestReportFullDisk(t *testing.T) {
	res := &convert.Result{Items: 3000, New: 64, NotWritten: 2935,
		Errors: []error{errors.New("item x: bad"), &folder.FullError{Dir: "o", Err: errors.New("no space"), Written: 64, Items: 3000}}}
	want := "L: 3000 items: 64 new, 0 updated, 0 unchanged, 1 failed, 2935 not written (disk full)"
	if got := summary("L", res, false); got != want {
		t.Errorf("summary:\n got %q\nwant %q", got, want)
	}
	j := jsonReport(&feed{}, res, false)
	if j.Counts.Failed != 1 || j.Counts.NotWritten != 2935 || len(j.Errors) != 2 || j.Status != statusConverted {
		t.Errorf("-json: %+v", j)
	}
}
