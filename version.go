package main

import (
	"regexp"
	"runtime/debug"
	"strings"
)

// version is set at link time (-ldflags "-X main.version=v1.2.3"); when
// empty it comes from the build information.
var version string

// buildVCS is what the build information says of the checkout the binary
// was built from.
type buildVCS struct {
	release  string // a release version (v1.2.3), "" for a development build
	revision string // the commit, "" when unknown
	time     string // the commit's time, RFC 3339 in UTC
	modified bool   // the checkout had changes not committed
}

// pseudoVersion matches the versions Go makes up for a commit that has no
// release tag (v0.0.0-20260102150405-abcdef123456), which are not releases.
var pseudoVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+-(?:[0-9a-z.]+\.)?(?:0\.)?[0-9]{14}-[0-9a-f]{12}(?:\+incompatible)?(?:\+dirty)?$`)

// readVCS extracts the version facts of info (nil for none).
func readVCS(info *debug.BuildInfo, linked string) buildVCS {
	var b buildVCS
	b.release = linked
	if info == nil {
		return b
	}
	if v := info.Main.Version; b.release == "" && v != "" && v != "(devel)" && !pseudoVersion.MatchString(v) {
		b.release = strings.TrimSuffix(v, "+dirty")
	}
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.revision = s.Value
		case "vcs.time":
			b.time = s.Value
		case "vcs.modified":
			b.modified = s.Value == "true"
		}
	}
	return b
}

// String is what -version prints after "feed2md ": the release, or the
// commit and its date, e.g. "commit 4f48ce3fdf29 (2026-12-03T05:59:00Z)".
func (b buildVCS) String() string {
	var s string
	switch {
	case b.release != "" && b.revision != "":
		s = b.release + ", commit " + short(b.revision)
	case b.release != "":
		return b.release
	case b.revision != "":
		s = "commit " + short(b.revision)
	default:
		return "devel (no version information: build from a git checkout, with go build -buildvcs=true)"
	}
	if b.time != "" {
		s += " (" + b.time + ")"
	}
	if b.modified {
		s += " with local changes"
	}
	return s
}

// short is a commit hash cut to 12 digits, as Go's versions write it.
func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// currentVCS is readVCS of this binary.
func currentVCS() buildVCS {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		info = nil
	}
	return readVCS(info, version)
}

// shortVersion names this binary in the User-Agent.
func shortVersion() string { return currentVCS().short() }

// short is the version in one word: the release, else "devel-" and the
// commit, else "devel".
func (b buildVCS) short() string {
	switch {
	case b.release != "":
		return b.release
	case b.revision != "":
		return "devel-" + short(b.revision)
	}
	return "devel"
}
