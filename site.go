package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"

	"feed2md/convert"
	"feed2md/convert/fetch"

	"golang.org/x/net/http/httpguts"
)

// siteFeed is a feed of a -config file, its options resolved.
type siteFeed struct {
	feed                 // its label, and where: "site.toml:12"
	opts convert.Options // its options: the flags', the file's defaults, its own
}

// site is the feeds of a -config file, and which of them share an output
// folder.
type site struct {
	feeds   []siteFeed
	folders [][]int // the feeds of each output folder (indexes into feeds), in the order the file names them
}

// loadSite reads a -config file (see loadConfig) into the feeds of a run.
// What is wrong with the file is a usage error naming its line; a feed
// whose headers need a variable that is not set keeps that error, to fail
// alone when the others run.
func loadSite(path string, args []string) (*site, error) {
	fcs, err := loadConfig(path, args)
	if err != nil {
		return nil, err
	}
	st := &site{}
	byFolder := map[string]int{}
	for _, fc := range fcs {
		at := fmt.Sprintf("%s:%d", path, fc.line)
		sf := siteFeed{feed: feed{arg: fc.url, where: at}}
		opts := fc.opts
		err := opts.Check()
		if err == nil {
			sf.src, err = fetch.ParseSource(fc.url)
		}
		if err == nil && sf.src.Stdin {
			err = errors.New("standard input cannot be a feed of a configuration: give its URL or file")
		}
		if err != nil {
			return nil, fmt.Errorf("%s: feed %s: %v", at, fetch.RedactURL(fc.url), err)
		}
		if opts.Header, err = feedHeaders(fc.headers); err != nil {
			sf.err = err
		}
		sf.opts = opts
		key, err := filepath.Abs(opts.OutputDir)
		if err != nil {
			return nil, err
		}
		if real, err := filepath.EvalSymlinks(key); err == nil {
			key = real // one folder under two names: one Converter, or it waits on its own lock
		}
		i, seen := byFolder[key]
		if !seen {
			i = len(st.folders)
			byFolder[key] = i
			st.folders = append(st.folders, nil)
		} else if err := sameFolder(&st.feeds[st.folders[i][0]], &sf); err != nil {
			return nil, err
		}
		st.folders[i] = append(st.folders[i], len(st.feeds))
		st.feeds = append(st.feeds, sf)
	}
	labelSite(st.feeds)
	for i := range st.feeds {
		if f := &st.feeds[i]; f.err != nil {
			f.err = fmt.Errorf("%s: %w", f.label, f.err)
		}
	}
	return st, nil
}

// sameFolder fails when b's options cannot share a's output folder
// (convert.FolderConflict).
func sameFolder(a, b *siteFeed) error {
	what := convert.FolderConflict(a.opts, b.opts)
	if what == "" {
		return nil
	}
	return fmt.Errorf("%s: feed %s: its output folder %s is also the feed's of %s, with another %s: the feeds of one folder share it",
		b.where, fetch.RedactURL(b.arg), b.opts.OutputDir, a.where, what)
}

// feedHeaders expands the ${NAME} variables of a feed's headers from the
// environment. The values may be secrets: an error names the header and
// the variable, never a value.
func feedHeaders(raw map[string]string) (http.Header, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	h := http.Header{}
	for name, v := range raw {
		val, err := expandEnv(v, setEnv)
		switch {
		case err != nil:
			return nil, fmt.Errorf("header %s: %v", name, err)
		case !httpguts.ValidHeaderFieldName(name):
			return nil, fmt.Errorf("header %q: not a header name", name)
		case !httpguts.ValidHeaderFieldValue(val):
			return nil, fmt.Errorf("header %s: its value, once expanded, holds a line break or a control character", name)
		}
		h.Set(name, val)
	}
	return h, nil
}

// setEnv looks up an environment variable; an empty one counts as not
// set: a header with an empty secret is a mistake, not a request to make.
func setEnv(name string) (string, bool) {
	v, ok := os.LookupEnv(name)
	return v, ok && v != ""
}

// labelSite gives each feed its label, unique in the run.
func labelSite(feeds []siteFeed) {
	var srcs []fetch.Source
	for _, f := range feeds {
		srcs = append(srcs, f.src)
	}
	labels := fetch.Labels(srcs)
	for i := range feeds {
		feeds[i].label = labels[i]
	}
}

// runSite converts the feeds of a site: a Converter for each output
// folder, the folders side by side, at most -jobs feeds loading at once
// over all of them; the results are reported in the file's order.
func (s *session) runSite(ctx context.Context, st *site) int {
	s.start(len(st.feeds))
	slots := make(chan struct{}, max(1, s.cfg.jobs))
	hosts := fetch.NewHosts() // a host sees at most fetch.PerHost of the items' requests, whichever folder asks
	results := make([]chan *convert.Result, len(st.feeds))
	for i := range results {
		results[i] = make(chan *convert.Result, 1)
	}
	var wg sync.WaitGroup
	var convs []*convert.Converter
	for _, idx := range st.folders {
		opts := st.feeds[idx[0]].opts
		opts.Slots, opts.Hosts = slots, hosts
		conv, err := s.converter(opts)
		var jobs []convert.Job
		var order []int
		for _, i := range idx {
			f := &st.feeds[i]
			switch {
			case err != nil:
				results[i] <- &convert.Result{Source: f.src, Err: err}
			case f.err != nil:
				results[i] <- &convert.Result{Source: f.src, Err: f.err}
			default:
				jobs = append(jobs, convert.Job{Source: f.src, Options: &f.opts})
				order = append(order, i)
			}
		}
		if err != nil {
			continue
		}
		convs = append(convs, conv)
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			conv.ConvertJobs(ctx, jobs, s.cfg.jobs, func(r *convert.Result) {
				results[order[n]] <- r
				n++
			})
		}()
	}
	for i := range st.feeds {
		s.each(&st.feeds[i].feed, <-results[i])
	}
	wg.Wait()
	for _, conv := range convs {
		s.close(conv)
	}
	return s.end(ctx)
}
