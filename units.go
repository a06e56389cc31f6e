package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"feed2md/convert/fetch"
)

// parseSince reads -since: a date (2026-01-02, midnight UTC), an RFC 3339
// time, or a duration back from now (72h, 90m, 7d).
func parseSince(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if strings.HasSuffix(s, "d") {
		if n, err := strconv.Atoi(strings.TrimSuffix(s, "d")); err == nil && n >= 0 {
			return now.AddDate(0, 0, -n), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("-since %q: give a date (2026-01-02) or a duration (72h, 7d)", s)
}

// The size and duration flags share one rule: a value is refused when it
// is negative, or zero where zero makes no sense (a cap of nothing, a
// timeout of nothing); the message quotes the value, names the flag (the
// flag package adds it) and gives an example with its unit.
//
//	-max-size        size      more than 0
//	-max-image-size  size      more than 0 (no images: leave out -images download)
//	-timeout         duration  more than 0
//	-lock-wait       duration  0 or more (0: do not wait for another run)
//	-max-page-size   size      more than 0
//	-prune           age       more than 0, at most 100 years (30d, 72h)
//
// (-since also takes a duration back from now, 0 or more, in parseSince:
// 0 is now, which keeps only undated items and those dated in the future.)
//
// TestSizeAndDurationFlags holds them to it.

// sizeValue is a flag.Value of a byte count, read by parseSize and
// written by convert.FormatSize; zero is refused.
type sizeValue struct {
	n     *int64
	given *bool  // set when the flag is given; nil when nobody asks
	zero  string // the message for 0: why it makes no sense, what to give
}

func (v sizeValue) String() string {
	if v.n == nil { // the flag package's zero value, for its default check
		return ""
	}
	return fetch.FormatSize(*v.n)
}

func (v sizeValue) Set(s string) error {
	n, err := parseSize(s)
	if err != nil {
		return err
	}
	if n == 0 {
		return errors.New(v.zero)
	}
	*v.n = n
	if v.given != nil {
		*v.given = true
	}
	return nil
}

// durationValue is a flag.Value of a time.Duration: negative is refused,
// and so is zero unless zero says something (zeroMeans).
type durationValue struct {
	d         *time.Duration
	example   string // a good value, for the message
	zeroMeans string // what 0 means, "" when it is refused
}

func (v durationValue) String() string {
	if v.d == nil {
		return ""
	}
	return fetch.FormatDuration(*v.d)
}

func (v durationValue) Set(s string) error {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	switch {
	case err != nil:
		return fmt.Errorf("%q is not a duration such as %s (units: ms, s, m, h)", s, v.example)
	case d < 0:
		return fmt.Errorf("a duration cannot be negative: give one such as %s", v.example)
	case d == 0 && v.zeroMeans == "":
		return fmt.Errorf("a duration of 0 makes no sense here: give one such as %s", v.example)
	}
	*v.d = d
	return nil
}

// ageValue is a flag.Value of an age: a duration (72h, 90m) or a number of
// days (30d), above 0.
type ageValue struct{ d *time.Duration }

func (v ageValue) String() string {
	if v.d == nil || *v.d == 0 {
		return ""
	}
	if *v.d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(*v.d/(24*time.Hour)), 10) + "d"
	}
	return fetch.FormatDuration(*v.d)
}

func (v ageValue) Set(s string) error {
	t := strings.TrimSpace(s)
	d, err := time.ParseDuration(t)
	if days, ok := strings.CutSuffix(t, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		if err == nil && n > 100*365 {
			return errors.New("an age of more than 100 years keeps every file: leave out -prune")
		}
		d = time.Duration(n) * 24 * time.Hour
	}
	switch {
	case err != nil:
		return fmt.Errorf("%q is not an age such as 30d or 72h", s)
	case d < 0:
		return errors.New("an age cannot be negative: give one such as 30d")
	case d == 0:
		return errors.New("an age of 0 would remove every file the moment its item leaves the feed: give one such as 30d, or leave out -prune to keep every file")
	}
	*v.d = d
	return nil
}

// parseSize reads a byte count: a number with an optional unit (B, KB,
// KiB, MB, MiB, GB, GiB; K, M and G are binary).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "-") {
		return 0, errors.New("a size cannot be negative: give one such as 32MiB")
	}
	i := 0
	for i < len(t) && (t[i] >= '0' && t[i] <= '9' || t[i] == '.') {
		i++
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%q is not a size such as 32MiB", s)
	}
	mult := map[string]float64{
		"": 1, "b": 1, "k": 1 << 10, "kib": 1 << 10, "kb": 1e3, "m": 1 << 20, "mib": 1 << 20, "mb": 1e6,
		"g": 1 << 30, "gib": 1 << 30, "gb": 1e9,
	}[unit]
	if mult == 0 {
		return 0, fmt.Errorf("%q: unknown unit %q (use KiB, MiB, GiB, KB, MB or GB)", s, unit)
	}
	if f*mult >= 1<<63 {
		return 0, fmt.Errorf("%q is too large a size", s)
	}
	return int64(f * mult), nil
}
