package main

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"feed2md/convert"
	"feed2md/convert/fetch"
)

func TestCollectFeeds(t *testing.T) {
	dir := t.TempDir()
	list := dir + "/list.txt"
	writeFile(t, list, "# feeds\nhttps://e.test/a.xml  # a\n\tftp://e.test/b\nhttps://e.test/c.xml\n")
	feeds, err := collectFeeds([]string{"https://e.test/a.xml?x=1", "local.xml"}, list, strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ arg, where, label, err string }
	var got []row
	for _, f := range feeds {
		r := row{f.arg, f.where, f.label, ""}
		if f.err != nil {
			r.err = f.err.Error()
		}
		got = append(got, r)
	}
	want := []row{
		{"https://e.test/a.xml?x=1", "", "e.test/a.xml?x=1", ""},
		{"local.xml", "", "local.xml", ""},
		{"https://e.test/a.xml", list + ":2", "e.test/a.xml", ""},
		{"ftp://e.test/b", list + ":3", "ftp://e.test/b", `unsupported URL scheme "ftp" in "ftp://e.test/b": use http or https`},
		{"https://e.test/c.xml", list + ":4", "e.test/c.xml", ""},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("collectFeeds:\n got %q\nwant %q", got, want)
	}
}

func TestCollectFeedsUsageErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir+"/dash.txt", "-\n")
	writeFile(t, dir+"/empty.txt", "# none\n")
	for _, c := range []struct {
		args  []string
		list  string
		stdin string
		want  string
	}{
		{nil, "", "", "no feed given"},
		{[]string{"ftp://e.test/x"}, "", "", `unsupported URL scheme "ftp"`},
		{[]string{"-", "-"}, "", "", "standard input (-) is named more than once"},
		{[]string{"-"}, "-", "https://e.test/\n", "standard input (-) is named more than once"},
		{nil, "-", "-\n", "stdin:1: standard input (-) is named more than once"},
		{[]string{"-"}, dir + "/dash.txt", "", "dash.txt:1: standard input (-) is named more than once"},
		{nil, dir + "/empty.txt", "", "empty.txt lists no feed"},
		{nil, dir + "/nosuch.txt", "", "-feeds: open "},
	} {
		_, err := collectFeeds(c.args, c.list, strings.NewReader(c.stdin))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q -feeds %q: %v, want %q", c.args, c.list, err, c.want)
		}
	}
	// One "-" and no list is fine.
	if _, err := collectFeeds([]string{"-"}, "", nil); err != nil {
		t.Errorf("one -: %v", err)
	}
}

// TestConvertFeedsOrder: entries that name no feed are reported in their
// place among the converted ones, whatever their position.
func TestConvertFeedsOrder(t *testing.T) {
	var feeds []feed
	for _, a := range []string{"ftp://x/0", "a.xml", "ftp://x/2", "ftp://x/3", "b.xml", "ftp://x/5"} {
		f := feed{arg: a}
		f.src, f.err = fetch.ParseSource(a)
		feeds = append(feeds, f)
	}
	var converted []string
	fake := func(ctx context.Context, srcs []fetch.Source, jobs int, each func(*convert.Result)) {
		for _, s := range srcs {
			converted = append(converted, s.Path)
			each(&convert.Result{Source: s, Items: 1})
		}
	}
	var order []string
	convertFeeds(context.Background(), fake, feeds, 2, func(f *feed, res *convert.Result) {
		if (f.err != nil) != (res.Err != nil) {
			t.Errorf("%s: entry error %v, result error %v", f.arg, f.err, res.Err)
		}
		order = append(order, f.arg)
	})
	if want := []string{"a.xml", "b.xml"}; !reflect.DeepEqual(converted, want) {
		t.Errorf("converted %q, want %q", converted, want)
	}
	if want := []string{"ftp://x/0", "a.xml", "ftp://x/2", "ftp://x/3", "b.xml", "ftp://x/5"}; !reflect.DeepEqual(order, want) {
		t.Errorf("reported %q, want %q", order, want)
	}
}
