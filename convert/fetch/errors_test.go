package fetch

import (
	"testing"
	"time"
)

// TestFormatSize: every size is written with a unit, in the largest unit
// that divides it, binary before decimal (values worked out by hand).
func TestFormatSize(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{
		{0, "0 B"}, {10, "10 B"}, {1023, "1023 B"}, {1000, "1 KB"}, {1024, "1 KiB"},
		{1536, "1536 B"}, {500000, "500 KB"}, {3 << 10, "3 KiB"},
		{1 << 20, "1 MiB"}, {32 << 20, "32 MiB"}, {2000000, "2 MB"}, {1500000, "1500 KB"},
		{8 << 30, "8 GiB"}, {1e9, "1 GB"}, {20 << 20, "20 MiB"},
	} {
		if got := FormatSize(c.n); got != c.want {
			t.Errorf("FormatSize(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

// TestFormatDuration: Go's form without the zero units at its end.
func TestFormatDuration(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {200 * time.Millisecond, "200ms"}, {30 * time.Second, "30s"},
		{10 * time.Minute, "10m"}, {90 * time.Second, "1m30s"}, {time.Hour, "1h"},
		{90 * time.Minute, "1h30m"}, {time.Hour + time.Second, "1h0m1s"},
	} {
		if got := FormatDuration(c.d); got != c.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}

// TestTooLargeErrorNamesItsFlag: the message names what is too large, the
// limit with its unit, and the flag that raises it.
func TestTooLargeErrorNamesItsFlag(t *testing.T) {
	for _, c := range []struct {
		err  *TooLargeError
		want string
	}{
		{&TooLargeError{Limit: 10}, "feed is larger than the 10 B limit: raise -max-size if it is genuine"},
		{&TooLargeError{Limit: 1 << 20}, "feed is larger than the 1 MiB limit: raise -max-size if it is genuine"},
		{&TooLargeError{Limit: 20 << 20, Kind: Image}, "image is larger than the 20 MiB limit: raise -max-image-size to download it"},
		{&TooLargeError{Limit: 5 << 20, Kind: Page}, "page is larger than the 5 MiB limit: raise -max-page-size to extract its article"},
	} {
		if got := c.err.Error(); got != c.want {
			t.Errorf("%+v:\n got %s\nwant %s", c.err, got, c.want)
		}
	}
}
