package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"feed2md/convert"
	feedstage "feed2md/convert/feed"
	"feed2md/convert/fetch"
)

// feed is one feed of a run: where it was named, and what it is.
type feed struct {
	arg   string       // the argument or list entry as written
	where string       // "list.txt:3" for a list entry, "" for an argument
	src   fetch.Source // what arg names, when err is nil
	err   error        // a list entry that names no feed: reported, not converted
	label string       // the short name of its summary and error lines, unique in the run
}

// collectFeeds gathers the feeds of a run: the arguments, then the
// entries of the -feeds list (listFile, "-" for stdin). A bad argument
// or an unreadable list is a usage error; a bad entry of a list is kept,
// with its error, so that the other feeds still run and the entry is
// reported in its place.
func collectFeeds(args []string, listFile string, stdin io.Reader) ([]feed, error) {
	errTwice := errors.New("standard input (-) is named more than once: it can be read only once")
	stdins := 0
	if listFile == "-" {
		stdins++
	}
	var feeds []feed
	for _, arg := range args {
		src, err := fetch.ParseSource(arg)
		if err != nil {
			return nil, err
		}
		if src.Stdin {
			if stdins++; stdins > 1 {
				return nil, errTwice
			}
		}
		feeds = append(feeds, feed{arg: arg, src: src})
	}
	if listFile != "" {
		entries, err := readFeedsFile(listFile, stdin)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			f := feed{arg: e.Feed, where: fmt.Sprintf("%s:%d", listName(listFile), e.Line)}
			f.src, f.err = fetch.ParseSource(e.Feed)
			if f.err == nil && f.src.Stdin {
				if stdins++; stdins > 1 {
					return nil, fmt.Errorf("%s: %w", f.where, errTwice)
				}
			}
			feeds = append(feeds, f)
		}
	}
	if len(feeds) == 0 {
		return nil, errors.New("no feed given: name a URL, a file, or - for standard input")
	}
	var srcs []fetch.Source
	for _, f := range feeds {
		if f.err == nil {
			srcs = append(srcs, f.src)
		}
	}
	labels := fetch.Labels(srcs)
	for i := range feeds {
		if feeds[i].err != nil {
			feeds[i].label = fetch.RedactURL(feeds[i].arg)
			continue
		}
		feeds[i].label, labels = labels[0], labels[1:]
	}
	return feeds, nil
}

// listName is how messages name a feed list.
func listName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return path
}

// readFeedsFile reads a -feeds list ("-" for standard input).
func readFeedsFile(path string, stdin io.Reader) ([]feedstage.ListEntry, error) {
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("-feeds: %v", err)
	}
	entries, err := feedstage.ReadList(data)
	if err != nil {
		return nil, fmt.Errorf("-feeds %s: %v", listName(path), err)
	}
	if len(entries) == 0 {
		return nil, fmt.Errorf("-feeds %s lists no feed", listName(path))
	}
	return entries, nil
}

// convertAllFunc is the signature of convert.Converter.ConvertAll.
type convertAllFunc func(ctx context.Context, srcs []fetch.Source, jobs int, each func(*convert.Result))

// convertFeeds converts the feeds with convertAll and hands the result of
// every feed to each, in the order of feeds; an entry that names no feed
// gets a Result holding its error, in its place.
func convertFeeds(ctx context.Context, convertAll convertAllFunc, feeds []feed, jobs int, each func(*feed, *convert.Result)) {
	var srcs []fetch.Source
	var index []int
	for i, f := range feeds {
		if f.err == nil {
			srcs = append(srcs, f.src)
			index = append(index, i)
		}
	}
	next := 0
	bad := func(upTo int) {
		for ; next < upTo; next++ {
			each(&feeds[next], &convert.Result{Err: feeds[next].err})
		}
	}
	n := 0
	convertAll(ctx, srcs, jobs, func(res *convert.Result) {
		i := index[n]
		n++
		bad(i)
		next = i + 1
		each(&feeds[i], res)
	})
	bad(len(feeds))
}
