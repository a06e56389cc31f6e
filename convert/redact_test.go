package convert

import (
	"feed2md/convert/fetch"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStateKeyNoCredentials: the state file names a feed with a token by
// its URL without it and a sum; a state file a release before wrote with
// the token in its keys is rid of them when read, and written 0600.
func TestStateKeyNoCredentials(t *testing.T) {
	a, _ := fetch.ParseSource("https://u:pw1234@example.com/feed?access_token=tok3n&x=1")
	b, _ := fetch.ParseSource("https://u:pw1234@example.com/feed?access_token=other&x=1")
	ka, kb := stateKey(a), stateKey(b)
	if ka == kb || !strings.HasPrefix(ka, "https://example.com/feed?x=1 sha256:") || strings.Contains(ka, "tok3n") || strings.Contains(ka, "pw1234") {
		t.Errorf("keys %q %q", ka, kb)
	}
	plain, _ := fetch.ParseSource("https://example.com/feed?x=1")
	if k := stateKey(plain); k != "https://example.com/feed?x=1" {
		t.Errorf("a plain URL's key changed: %q", k)
	}

	cache, out := filepath.Join(t.TempDir(), "cache"), t.TempDir()
	s, err := loadState(cache, out)
	if err != nil {
		t.Fatal(err)
	}
	old := `{"version":1,"folder":"x","feeds":{"https://u:pw1234@example.com/feed?access_token=tok3n":{"hash":"h"},` +
		`"https://example.com/page":{"url":"https://example.com/feed?token=tok3n","hash":"h2"},"/tmp/a?b=c&token=d.xml":{"hash":"h3"}}}`
	if err := os.MkdirAll(cache, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(s.path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = loadState(cache, out)
	if err != nil {
		t.Fatal(err)
	}
	s.put(ka, feedState{Hash: "h4", URL: "https://example.com/f?api_key=tok3n"})
	if err := s.save(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "tok3n") || strings.Contains(string(data), "pw1234") {
		t.Errorf("state file holds a credential:\n%s", data)
	}
	for _, want := range []string{`"h2"`, `"h3"`, `"h4"`, `"/tmp/a?b=c\u0026token=d.xml"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("state file lost %s:\n%s", want, data)
		}
	}
	if fi, err := os.Stat(s.path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("state file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	// A new cache folder is private too.
	cache2 := filepath.Join(t.TempDir(), "new", "cache")
	s2, _ := loadState(cache2, out)
	s2.put("k", feedState{Hash: "h"})
	if err := s2.save(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(cache2); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("cache folder mode %v (%v), want 0700", fi.Mode().Perm(), err)
	}
}
