package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"feed2md/convert"
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

// givenSize is a sizeValue that also records that the flag was given.
type givenSize struct {
	v     *sizeValue
	given *bool
}

func (g givenSize) String() string {
	if g.v == nil {
		return ""
	}
	return g.v.String()
}

func (g givenSize) Set(s string) error {
	*g.given = true
	return g.v.Set(s)
}

// sizeValue is a flag.Value of a byte count, written as -max-size takes it.
type sizeValue int64

func (v *sizeValue) String() string { return convert.FormatSize(int64(*v)) }

func (v *sizeValue) Set(s string) error {
	n, err := parseSize(s)
	*v = sizeValue(n)
	return err
}

// parseSize reads a byte count: a number with an optional unit (B, KB,
// KiB, MB, MiB, GB, GiB; K, M and G are binary).
func parseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
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
