package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "512": 512, "512B": 512, "1K": 1024, "1KiB": 1024, "1KB": 1000, "1.5MiB": 1572864,
		"32MiB": 32 << 20, "2MB": 2000000, " 1 GiB ": 1 << 30, "1gb": 1e9, "3m": 3 << 20,
	} {
		got, err := parseSize(in)
		if err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1MiB", "1TiB", "1..2K", "MiB", "1e30GiB", "99999999999GiB"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
	var n int64
	v := sizeValue{n: &n, zero: "zero"}
	if err := v.Set("64MiB"); err != nil || v.String() != "64 MiB" {
		t.Errorf("sizeValue 64MiB: %v, String %q", err, v.String())
	}
	if err := v.Set(v.String()); err != nil || n != 64<<20 {
		t.Errorf("sizeValue does not read back its String: %v, %d", err, n)
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2026-01-02":                time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		"2026-01-02T15:04:05+02:00": time.Date(2026, 1, 2, 13, 4, 5, 0, time.UTC),
		"72h":                       time.Date(2026, 3, 7, 12, 0, 0, 0, time.UTC),
		"90m":                       time.Date(2026, 3, 10, 10, 30, 0, 0, time.UTC),
		"7d":                        time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC),
		"0d":                        now,
	} {
		got, err := parseSince(in, now)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"yesterday", "-3d", "-1h", "2026-13-01", "d", ""} {
		_, err := parseSince(in, now)
		if err == nil || !strings.Contains(err.Error(), "give a date") {
			t.Errorf("parseSince(%q): err %v, want the hint", in, err)
		}
	}
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSinceWindow: a -since counted back from now is marked as such (it
// moves with the clock); a date is not.
func TestSinceWindow(t *testing.T) {
	now := time.Date(2026, 11, 5, 8, 0, 0, 0, time.UTC)
	for since, want := range map[string]time.Duration{"7d": 7 * 24 * time.Hour, "90m": 90 * time.Minute, "2026-01-02": 0, "2026-01-02T10:00:00Z": 0} {
		var cfg config
		newFlagSet(&cfg) // the flags' defaults
		cfg.since = since
		opts, err := cfg.options(now)
		if err != nil || opts.SinceWindow != want {
			t.Errorf("-since %s: window %s, %v; want %s", since, opts.SinceWindow, err, want)
		}
	}
}
