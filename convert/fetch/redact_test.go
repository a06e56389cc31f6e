package fetch

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

// TestSecretParam: which parameter names mark a secret, by hand.
func TestSecretParam(t *testing.T) {
	secret := []string{"token", "access_token", "ACCESS_TOKEN", "accessToken", "oauth_token", "private_token",
		"key", "api_key", "apikey", "apiKey", "X-Api-Key", "subscription-key", "auth", "oauth", "auth_token",
		"authorization", "secret", "client_secret", "password", "passwd", "pass", "pw", "user_pw", "otp", "pin", "pwd", "userpwd", "passphrase",
		"signature", "X-Amz-Signature", "X-Amz-Credential", "sig", "sign", "session", "sessionid", "session_id",
		"PHPSESSID", "sid", "jwt", "bearer", "hmac", "a%5Ftoken"}
	plain := []string{"keyword", "keywords", "author", "authors", "passage", "format", "page", "q", "id", "tag",
		"category", "lang", "x", "user", "signup", "design", "", "utm_source", "feed", "type"}
	for _, n := range secret {
		if name, err := url.QueryUnescape(n); err == nil && !secretParam(name) {
			t.Errorf("secretParam(%q) = false, want true", name)
		}
	}
	for _, n := range plain {
		if secretParam(n) {
			t.Errorf("secretParam(%q) = true, want false", n)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for _, c := range []struct{ in, source, message string }{
		{"https://example.com/feed", "https://example.com/feed", "https://example.com/feed"},
		{"https://example.com/feed?x=1&y=2", "https://example.com/feed?x=1&y=2", "https://example.com/feed?x=1&y=2"},
		{"https://user:pw@example.com/feed", "https://example.com/feed", "https://example.com/feed"},
		{"https://user@example.com:8443/feed", "https://example.com:8443/feed", "https://example.com:8443/feed"},
		{"https://user:pw@example.com/feed?access_token=T&x=1", "https://example.com/feed?x=1", "https://example.com/feed?access_token=REDACTED&x=1"},
		{"https://example.com/feed?x=1&access_token=T", "https://example.com/feed?x=1", "https://example.com/feed?x=1&access_token=REDACTED"},
		{"https://example.com/feed?access_token=T", "https://example.com/feed", "https://example.com/feed?access_token=REDACTED"},
		{"https://example.com/feed?a=1;key=K;b=2", "https://example.com/feed?a=1;b=2", "https://example.com/feed?a=1;key=REDACTED;b=2"},
		{"https://example.com/feed?keyword=go&page=2", "https://example.com/feed?keyword=go&page=2", "https://example.com/feed?keyword=go&page=2"},
		{"https://example.com/feed?x=1#access_token=T", "https://example.com/feed?x=1", "https://example.com/feed?x=1#access_token=REDACTED"},
		{"https://example.com/feed#top", "https://example.com/feed#top", "https://example.com/feed#top"},
		{"https://example.com/a@b/feed?token", "https://example.com/a@b/feed?token", "https://example.com/a@b/feed?token"},
		{"https://u:p@host/%zz?api_key=K", "https://host/%zz", "https://host/%zz?api_key=REDACTED"}, // does not parse
		{"feed:https://u:p@host/f", "feed:https://host/f", "feed:https://host/f"},
		{"/path/to/feed.xml", "/path/to/feed.xml", "/path/to/feed.xml"},
	} {
		if got := SourceURL(c.in); got != c.source {
			t.Errorf("SourceURL(%q) = %q, want %q", c.in, got, c.source)
		}
		if got := RedactURL(c.in); got != c.message {
			t.Errorf("RedactURL(%q) = %q, want %q", c.in, got, c.message)
		}
	}
}

// TestSourceLabelsNoCredentials: the names messages give a feed.
func TestSourceLabelsNoCredentials(t *testing.T) {
	raw := "https://alice:s3cretpw@example.com/feed?access_token=tok3n&x=1"
	src, err := ParseSource(raw)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ParseSource("https://example.com/feed?x=2")
	same, _ := ParseSource("https://example.com/feed?x=1&access_token=other")
	names := append([]string{src.Name(), src.label(), src.labelAt(1), src.labelAt(2)}, Labels([]Source{src, other, same})...)
	for _, n := range names {
		if strings.Contains(n, "s3cretpw") || strings.Contains(n, "alice") || strings.Contains(n, "tok3n") || strings.Contains(n, "other") {
			t.Errorf("a name holds a credential: %q", n)
		}
	}
	if src.Name() != "https://example.com/feed?access_token=REDACTED&x=1" {
		t.Errorf("Name = %q", src.Name())
	}
	_, err = ParseSource("https://alice:s3cretpw@example.com:bad/feed?access_token=tok3n")
	if err == nil || strings.Contains(err.Error(), "s3cretpw") || strings.Contains(err.Error(), "tok3n") {
		t.Errorf("ParseSource error %v", err)
	}
}

func TestMaskCredentials(t *testing.T) {
	u, _ := url.Parse("https://alice:s3cret%2Fpw@example.com/feed?access_token=tok3n%2B&x=1")
	err := MaskCredentials(errors.New(`Get "https://alice:s3cret%2Fpw@example.com/feed?access_token=tok3n%2B": pw s3cret/pw tok3n+`), u)
	for _, s := range []string{"s3cret", "tok3n", "alice"} {
		if strings.Contains(err.Error(), s) {
			t.Errorf("masked error holds %q: %v", s, err)
		}
	}
	base := errors.New("x")
	if e := MaskCredentials(base, u); !errors.Is(e, base) {
		t.Error("the masked error does not unwrap")
	}
	plain, _ := url.Parse("https://example.com/feed")
	if e := MaskCredentials(base, plain); e != base {
		t.Error("an error of a URL without credentials was wrapped")
	}
}

// FuzzRedactURL: SourceURL and RedactURL leave no user name or password
// and no secret parameter's value that url.Parse would find, and applying
// them again changes nothing (the state file's keys rely on it).
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{"https://u:p@h/f?access_token=T&x=1", "http://a@b@h/?a=1;key=K#sig=S", "https://h/f?%74oken=T",
		"feed:https://u:p@h/f", "https://h/f?x=1 sha256:0011", "https://h/?token", "https://h/?a=&&token=T&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range []struct {
			name string
			fn   func(string) string
		}{{"SourceURL", SourceURL}, {"RedactURL", RedactURL}} {
			out := c.fn(s)
			if again := c.fn(out); again != out {
				t.Fatalf("%s(%q) = %q, again %q", c.name, s, out, again)
			}
			u, err := url.Parse(out)
			if err != nil {
				continue
			}
			if u.User != nil {
				t.Fatalf("%s(%q) = %q keeps user info", c.name, s, out)
			}
			for _, raw := range []string{u.RawQuery, u.Fragment} {
				vals, _ := url.ParseQuery(raw)
				for name, vs := range vals {
					for _, v := range vs {
						if secretParam(name) && v != redacted && v != "" {
							t.Fatalf("%s(%q) = %q keeps %s=%s", c.name, s, out, name, v)
						}
					}
				}
			}
		}
	})
}
