package fetch

import (
	"net/url"
	"sort"
	"strings"
	"unicode"
)

// A feed URL may carry credentials: a user name and password
// (https://user:pw@host/feed, which the HTTP client sends as Basic auth)
// and query parameters such as ?access_token=T. They are used to fetch
// the feed and never written or shown: the source key, messages, labels,
// the state file and the folder's memory see the URL without them.

// redacted is what a secret parameter's value shows as in messages.
const redacted = "REDACTED"

// RedactURL returns a URL, given as text, as messages show it: without
// its user name and password, and with the value of every query (and
// fragment) parameter whose name marks a secret (secretParam) replaced
// by REDACTED. The rest is kept byte for byte; a URL without
// credentials comes back as it was. It works on text that does not parse
// as a URL too.
func RedactURL(s string) string { return stripCredentials(s, false) }

// SourceURL returns a URL, given as text, as the source key holds it:
// without its user name and password, and without the query (and
// fragment) parameters whose names mark a secret. The rest is kept byte
// for byte.
func SourceURL(s string) string { return stripCredentials(s, true) }

// redactURL is RedactURL of a parsed URL ("" for nil).
func redactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	return RedactURL(u.String())
}

// HasCredentials reports whether a URL's text holds a user name,
// password or secret parameter.
func HasCredentials(s string) bool { return SourceURL(s) != s }

func stripCredentials(s string, drop bool) string {
	start := -1 // where the authority begins
	if strings.HasPrefix(s, "//") {
		start = 2
	} else if i := strings.Index(s, "://"); i >= 0 {
		start = i + 3
	}
	if start >= 0 {
		auth := s[start:]
		end := strings.IndexAny(auth, "/?#")
		if end < 0 {
			end = len(auth)
		}
		if at := strings.LastIndexByte(auth[:end], '@'); at >= 0 {
			s = s[:start] + auth[at+1:]
		}
	}
	if strings.IndexByte(s, '=') < 0 {
		return s // no parameter at all: the common case
	}
	frag := ""
	if h := strings.IndexByte(s, '#'); h >= 0 {
		s, frag = s[:h], s[h+1:]
	}
	if q := strings.IndexByte(s, '?'); q >= 0 {
		query := stripParams(s[q+1:], drop)
		s = s[:q]
		if query != "" {
			s += "?" + query
		}
	}
	if frag != "" {
		frag = stripParams(frag, drop)
		if frag != "" || !drop {
			s += "#" + frag
		}
	}
	return s
}

// stripParams drops (or masks) the secret parameters of a query or
// fragment: name=value pairs separated by '&' or ';'. Without one, q
// comes back as it was.
func stripParams(q string, drop bool) string {
	if strings.IndexByte(q, '=') < 0 {
		return q
	}
	var b strings.Builder
	changed := false
	for rest := q; rest != ""; {
		part, sep := rest, ""
		if end := strings.IndexAny(rest, "&;"); end >= 0 {
			part, sep, rest = rest[:end], rest[end:end+1], rest[end+1:]
		} else {
			rest = ""
		}
		name, _, hasValue := strings.Cut(part, "=")
		if n, err := url.QueryUnescape(name); err == nil {
			name = n
		}
		if hasValue && secretParam(name) {
			changed = true
			if drop {
				continue
			}
			part = part[:strings.IndexByte(part, '=')+1] + redacted
		}
		b.WriteString(part)
		b.WriteString(sep)
	}
	if !changed {
		return q
	}
	return strings.TrimRight(b.String(), "&;")
}

// secretParam reports whether a query parameter's name marks a secret.
// The name is lowercased and split into words at every character that
// is neither a letter nor a digit (X-Amz-Signature: x, amz, signature);
// it marks a secret when a word
//   - contains token, secret, passw(ord), passwd, passphrase, passcode,
//     signature, session, sessid, credential, apikey or authoriz;
//   - ends in key or pwd (key, apikey, accesskey; pwd, userpwd);
//   - is auth, oauth, sig, sign, sid, pass, pw, jwt, bearer, hmac, otp or pin.
//
// Kept: keyword(s), author(s), passage and the like, which hold no
// secret. A word that only ends in "key" by chance (monkey) is dropped
// too: a parameter too many beats a secret written.
func secretParam(name string) bool {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		switch w {
		case "auth", "oauth", "sig", "sign", "sid", "pass", "pw", "jwt", "bearer", "hmac", "otp", "pin":
			return true
		}
		if strings.HasSuffix(w, "key") || strings.HasSuffix(w, "pwd") {
			return true
		}
		for _, part := range secretWords {
			if strings.Contains(w, part) {
				return true
			}
		}
	}
	return false
}

var secretWords = []string{"token", "secret", "passw", "passwd", "passphrase", "passcode",
	"signature", "session", "sessid", "credential", "apikey", "authoriz"}

// credentialError is a feed's error with the credentials of its URL
// masked wherever its text quotes them: a last guard behind the messages
// that name URLs without them, for the text of errors from below (the
// HTTP client's, a server's Location header).
type credentialError struct {
	err     error
	replace *strings.Replacer
}

func (e *credentialError) Error() string { return e.replace.Replace(e.err.Error()) }

func (e *credentialError) Unwrap() error { return e.err }

// MaskCredentials returns err with the user name, password and secret
// parameter values of u masked in its text; err itself when u has none.
// Values shorter than 4 bytes are left: masking them would garble the
// message and they are not worth much hidden.
func MaskCredentials(err error, u *url.URL) error {
	if err == nil || u == nil || !HasCredentials(u.String()) {
		return err
	}
	var secrets []string
	add := func(v string) {
		if len(v) >= 4 {
			secrets = append(secrets, v)
			if e := url.QueryEscape(v); e != v {
				secrets = append(secrets, e)
			}
			if e := url.PathEscape(v); e != v {
				secrets = append(secrets, e)
			}
		}
	}
	if u.User != nil {
		add(u.User.Username())
		if p, ok := u.User.Password(); ok {
			add(p)
		}
	}
	for _, raw := range []string{u.RawQuery, u.Fragment} {
		vals, _ := url.ParseQuery(raw)
		for name, vs := range vals {
			if secretParam(name) {
				for _, v := range vs {
					add(v)
				}
			}
		}
	}
	if len(secrets) == 0 {
		return err
	}
	// Longest first: a value inside another is not masked by halves.
	sort.SliceStable(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	pairs := make([]string, 0, 2*len(secrets))
	for _, v := range secrets {
		pairs = append(pairs, v, redacted)
	}
	return &credentialError{err: err, replace: strings.NewReplacer(pairs...)}
}
