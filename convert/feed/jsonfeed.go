package feed

import (
	"bytes"
	"encoding/json"
	"feed2md/convert/fetch"
	"fmt"
	"sort"
	"strings"
)

// JSON Feeds are read leniently, field by field: gofeed decodes a JSON
// Feed into Go structs, so one field of the wrong type ("tags": "news",
// "authors": "bob") failed the whole feed and lost every item. Before
// gofeed sees it, the document is put into the shape the JSON Feed spec
// gives it: a field of the wrong type is coerced where the meaning is
// clear (a number or a boolean for a string, a string for a list of one,
// a name for an author) and dropped otherwise, with a note for each.

// The JSON Feed fields gofeed reads at each level, and those of them it
// decodes into strings.
var (
	jsonFeedFields       = fieldSet("version", "title", "home_page_url", "feed_url", "description", "user_comment", "next_url", "icon", "favicon", "author", "expired", "items", "authors", "language")
	jsonItemFields       = fieldSet("id", "url", "external_url", "title", "content_html", "content_text", "summary", "image", "banner_image", "date_published", "date_modified", "author", "tags", "attachments", "authors", "language")
	jsonAttachmentFields = fieldSet("url", "mime_type", "title", "size_in_bytes", "duration_in_seconds")

	jsonFeedStrings = fieldSet("version", "title", "home_page_url", "feed_url", "description",
		"user_comment", "next_url", "icon", "favicon", "language")
	jsonItemStrings = fieldSet("id", "url", "external_url", "title", "content_html", "content_text",
		"summary", "image", "banner_image", "date_published", "date_modified", "language")
	jsonAuthorStrings     = fieldSet("name", "url", "avatar")
	jsonAttachmentStrings = fieldSet("url", "mime_type", "title")
)

// fieldSet returns names sorted, so that notes come in a stable order.
func fieldSet(names ...string) []string {
	sort.Strings(names)
	return names
}

// normalizeJSONFeed returns data in the shape gofeed's JSON Feed parser
// takes, and a note for each field it had to coerce or drop. A document
// that is not an object with an array of items is not a feed.
func normalizeJSONFeed(data []byte) ([]byte, []string, error) {
	return normalizeJSONItems(data, nil, nil)
}

// normalizeJSONItems is normalizeJSONFeed for a document whose i-th item
// is item numbers[i] of the feed (a run of a streamed feed, jsonstream.go;
// nil numbers count from 1), and from which the elements dropped were
// taken out already: their notes come in their places.
func normalizeJSONItems(data []byte, numbers []int32, dropped []droppedItem) ([]byte, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("parsing the JSON feed: %w", err)
	}
	obj, ok := doc.(map[string]any)
	if !ok {
		return nil, nil, &fetch.NotFeedError{What: "a JSON document that is " + aKind(doc) + ", not an object"}
	}
	n := &jsonNotes{}
	if rest := bytes.TrimSpace(data[dec.InputOffset():]); len(rest) > 0 {
		n.add("%d bytes after the JSON document: ignored", len(rest))
	}
	top := n.canon(obj, jsonFeedFields)
	rawItems, ok := top["items"]
	if !ok {
		return nil, nil, &fetch.NotFeedError{What: "a JSON object without items" + keysSaid(obj)}
	}
	list, ok := rawItems.([]any)
	if !ok {
		return nil, nil, &fetch.NotFeedError{What: "a JSON object whose \"items\" is " + aKind(rawItems) + ", not an array"}
	}
	n.fields(top, jsonFeedStrings, "the feed")
	n.authors(top, "the feed")
	items := make([]any, 0, len(list))
	sayDropped := func(below int) {
		for len(dropped) > 0 && (below < 0 || dropped[0].number < below) {
			n.list = append(n.list, dropped[0].note())
			dropped = dropped[1:]
		}
	}
	for i, raw := range list {
		number := i + 1
		if i < len(numbers) {
			number = int(numbers[i])
		}
		sayDropped(number)
		obj, ok := raw.(map[string]any)
		if !ok {
			n.add("item %d is %s, not an object: dropped", number, aKind(raw))
			continue
		}
		it := n.canon(obj, jsonItemFields)
		where := fmt.Sprintf("item %d", number)
		if u, ok := it["url"].(string); ok && u != "" {
			where += " (" + u + ")"
		}
		n.fields(it, jsonItemStrings, where)
		n.authors(it, where)
		n.tags(it, where)
		n.attachments(it, where)
		items = append(items, it)
	}
	sayDropped(-1)
	top["items"] = items
	if len(n.list) == 0 && !n.changed {
		return data, nil, nil
	}
	out, err := json.Marshal(top)
	if err != nil {
		return nil, nil, err
	}
	return out, n.list, nil
}

// jsonNotes collects what normalizeJSONFeed changed.
type jsonNotes struct {
	list []string
	// changed says the document was changed without a note: a key
	// spelled in other letter cases (which encoding/json also matches),
	// or a null author dropped (on which gofeed would crash). It is then
	// given to gofeed re-encoded.
	changed bool
}

// canon returns the fields of m that gofeed reads, under their own
// names: encoding/json matches keys in any letter case ("TAGS" is tags),
// so a key spelled otherwise is taken as the field's when the field's own
// spelling is absent, and dropped when it is there. Other keys, which
// gofeed ignores, are dropped.
func (n *jsonNotes) canon(m map[string]any, fields []string) map[string]any {
	out := make(map[string]any, len(m))
	for _, f := range fields {
		if v, ok := m[f]; ok {
			out[f] = v
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, f := range fields {
			if k != f && strings.EqualFold(k, f) {
				n.changed = true
				if _, ok := out[f]; !ok {
					out[f] = m[k]
				}
			}
		}
	}
	return out
}

func (n *jsonNotes) add(format string, a ...any) {
	n.list = append(n.list, fmt.Sprintf(format, a...))
}

// fields makes each named field of m a string, or drops it.
func (n *jsonNotes) fields(m map[string]any, names []string, where string) {
	for _, k := range names {
		v, ok := m[k]
		if !ok {
			continue
		}
		if s, ok := coerceJSONString(v); ok {
			if _, was := v.(string); !was && v != nil {
				n.add("%s: %q is %s, read as the string %q", where, k, aKind(v), s)
			}
			m[k] = s
			continue
		}
		n.add("%s: %q is %s, not a string: dropped", where, k, aKind(v))
		delete(m, k)
	}
}

// coerceJSONString returns v as a string when its meaning as one is clear.
func coerceJSONString(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case json.Number:
		return v.String(), true
	case bool:
		if v {
			return "true", true
		}
		return "false", true
	}
	return "", false
}

// authors makes "author" an author object and "authors" a list of them.
func (n *jsonNotes) authors(m map[string]any, where string) {
	if v, ok := m["author"]; ok {
		if a, ok := n.author(v, where, "author"); ok {
			m["author"] = a
		} else {
			delete(m, "author")
		}
	}
	list, ok := n.listOf(m, "authors", where, func(any) bool { return true })
	if !ok {
		return
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		if a, ok := n.author(e, where, "authors"); ok {
			out = append(out, a)
		}
	}
	m["authors"] = out
}

// author returns v as an author object: a string is its name.
func (n *jsonNotes) author(v any, where, key string) (map[string]any, bool) {
	switch v := v.(type) {
	case map[string]any:
		a := n.canon(v, jsonAuthorStrings)
		n.fields(a, jsonAuthorStrings, where+" "+key)
		return a, true
	case nil:
		n.changed = true
		return nil, false
	}
	if s, ok := coerceJSONString(v); ok {
		n.add("%s: %q holds %s, read as an author named %q", where, key, aKind(v), s)
		return map[string]any{"name": s}, true
	}
	n.add("%s: %q holds %s, not an author: dropped", where, key, aKind(v))
	return nil, false
}

// listOf returns the list m holds under key (ok is false when there is no
// such key): a list as it is, nothing for null, a value that accept takes
// as a list of one, and nothing for any other value.
func (n *jsonNotes) listOf(m map[string]any, key, where string, accept func(any) bool) ([]any, bool) {
	v, ok := m[key]
	switch v := v.(type) {
	case []any:
		return v, true
	case nil:
		return nil, ok
	}
	if accept(v) {
		n.add("%s: %q is %s, read as a list of one", where, key, aKind(v))
		return []any{v}, true
	}
	n.add("%s: %q is %s, not a list: dropped", where, key, aKind(v))
	return nil, true
}

// tags makes "tags" a list of strings.
func (n *jsonNotes) tags(m map[string]any, where string) {
	list, ok := n.listOf(m, "tags", where, func(v any) bool { _, ok := coerceJSONString(v); return ok })
	if !ok {
		return
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		s, ok := coerceJSONString(e)
		if !ok || e == nil {
			n.add("%s: a tag is %s, not a string: dropped", where, aKind(e))
			continue
		}
		out = append(out, s)
	}
	m["tags"] = out
}

// attachments makes "attachments" a list of attachment objects.
func (n *jsonNotes) attachments(m map[string]any, where string) {
	list, ok := n.listOf(m, "attachments", where, func(v any) bool { _, ok := v.(map[string]any); return ok })
	if !ok {
		return
	}
	out := make([]any, 0, len(list))
	for _, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			n.add("%s: an attachment is %s, not an object: dropped", where, aKind(e))
			continue
		}
		// gofeed reads its numbers from whatever they are given as.
		a := n.canon(obj, jsonAttachmentFields)
		n.fields(a, jsonAttachmentStrings, where+" attachment")
		out = append(out, a)
	}
	m["attachments"] = out
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	}
	return "object"
}

// aKind names the JSON type of v with its article: "an object".
func aKind(v any) string {
	k := jsonKind(v)
	if k == "object" || k == "array" {
		return "an " + k
	}
	return "a " + k
}

// keysSaid lists a few keys of an object, for a message.
func keysSaid(m map[string]any) string {
	if len(m) == 0 {
		return " (an empty object)"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, fmt.Sprintf("%q", k))
	}
	sort.Strings(keys)
	if len(keys) > 4 {
		keys = append(keys[:4], "…")
	}
	return " (its keys: " + strings.Join(keys, ", ") + ")"
}
