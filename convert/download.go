package convert

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Politeness of image downloads.
const (
	imageSlots   = 6  // downloads at a time, over all hosts
	imagePerHost = 2  // downloads at a time from one host
	imageItems   = 64 // items waiting for their images before the next is held back
)

// ImageError is an image that could not be saved: the body keeps its
// absolute URL, the item is written, and the next run tries again.
type ImageError struct {
	URL  string // the image's URL
	Item string // the item's link, or its file
	Err  error
}

func (e *ImageError) Error() string {
	return fmt.Sprintf("image %s of %s: %v (its URL is kept)", e.URL, e.Item, e.Err)
}

func (e *ImageError) Unwrap() error { return e.Err }

// errNotRaster is an image whose bytes are not PNG, JPEG, GIF or WebP.
var errNotRaster = errors.New("not a raster image")

// images downloads the images of items (-images download) into their
// bundles. One is made per Converter; its memory is saved by Close.
type images struct {
	c     *Converter
	fetch fetcher       // the feeds' client, User-Agent, timeout and retries, with the image size cap
	slots chan struct{} // downloads at a time
	mem   *imageMemory

	mu      sync.Mutex
	hosts   map[string]chan struct{} // downloads at a time per host
	flights map[string]*flight       // downloads under way or not yet saved, by URL
}

// flight is one download that items needing the same URL share, so that
// an image several posts show (or fail to show) costs one request.
type flight struct {
	done chan struct{} // closed when data and err are set
	data []byte
	err  error
}

// newImages makes the image stage of c.
func newImages(c *Converter) *images {
	im := &images{
		c:       c,
		fetch:   *c.fetch,
		slots:   make(chan struct{}, imageSlots),
		mem:     &imageMemory{dir: c.opts.OutputDir, dryRun: c.opts.DryRun},
		hosts:   map[string]chan struct{}{},
		flights: map[string]*flight{},
	}
	im.fetch.maxSize = c.opts.MaxImageSize
	return im
}

// save writes the memory of which file came from which URL. A nil
// receiver (no -images download) does nothing.
func (im *images) save() error {
	if im == nil {
		return nil
	}
	return im.mem.save()
}

// imageRun is the image work of one feed's items.
type imageRun struct {
	im    *images
	ctx   context.Context
	items chan struct{} // items in flight
	wg    sync.WaitGroup

	mu     sync.Mutex
	saved  int
	failed int
	errs   []error
}

// run starts the image work of one feed. A nil receiver gives nil: the
// caller then writes items as usual.
func (im *images) run(ctx context.Context) *imageRun {
	if im == nil {
		return nil
	}
	return &imageRun{im: im, ctx: ctx, items: make(chan struct{}, imageItems)}
}

// item saves the images of a claimed item into its bundle, rewrites its
// body and image key to the files saved, renders it and hands the bytes
// to done, on another goroutine while the next items are prepared. An
// item whose file is not a bundle's index.md (a SLUG.md kept from a run
// without bundles) keeps its URLs.
func (r *imageRun) item(f *stored, fm FrontMatter, body string, done func([]byte, error)) {
	c := r.im.c
	bundle := filepath.ToSlash(filepath.Dir(f.name))
	if filepath.Base(f.name) != "index.md" || bundle == "." || strings.Contains(bundle, "/") {
		done(c.renderItem(&fm, body))
		return
	}
	r.items <- struct{}{}
	r.wg.Add(1)
	go func() {
		defer func() { <-r.items; r.wg.Done() }()
		body, fm.Image = r.images(bundle, filepath.Dir(c.store.path(f)), &fm, body)
		done(c.renderItem(&fm, body))
	}()
}

// images fetches an item's images and returns its body and image key
// rewritten to the files that are in the bundle.
func (r *imageRun) images(bundle, dir string, fm *FrontMatter, body string) (string, string) {
	markdown := r.im.c.opts.Body == BodyMarkdown
	urls := imageRefs(body, markdown)
	if fm.Image != "" && !slices.Contains(urls, fm.Image) {
		urls = append(urls, fm.Image)
	}
	if len(urls) == 0 {
		return body, fm.Image
	}
	item := fm.Link
	if item == "" {
		item = bundle
	}
	got := make([]obtained, len(urls))
	if !r.im.mem.known(bundle) {
		// No memory of this bundle (lost, or a folder written by another
		// tool): the files there that have the names these URLs would get,
		// in body order, are theirs.
		for i, u := range urls {
			if n, ok := r.im.mem.adopt(bundle, dir, u); ok {
				got[i].name = n
			}
		}
	}
	// Fetched beside each other; named and written in body order, so
	// that names are the same whatever order the downloads end in.
	var wg sync.WaitGroup
	for i, u := range urls {
		if got[i].name != "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = r.im.obtain(r.ctx, bundle, dir, u)
		}()
	}
	wg.Wait()
	var saved, failed int
	var errs []error
	names := make(map[string]string, len(urls))
	for i, u := range urls {
		g := got[i]
		if g.err == nil && g.name == "" {
			g.name, g.err = r.im.write(bundle, dir, u, g.data)
			g.data = nil
			if g.err == nil {
				saved++
			}
		}
		if g.owner {
			r.im.land(u)
		}
		switch {
		case g.err == nil:
			names[u] = g.name
		case errors.Is(g.err, errDryRun):
		default:
			failed++
			errs = append(errs, &ImageError{URL: u, Item: item, Err: g.err})
		}
	}
	r.mu.Lock()
	r.saved, r.failed, r.errs = r.saved+saved, r.failed+failed, append(r.errs, errs...)
	r.mu.Unlock()
	image := fm.Image
	if n, ok := names[image]; ok {
		image = n
	}
	return rewriteImages(body, markdown, names), image
}

// wait waits for the items handed to item, and adds the counts to res. A
// nil receiver does nothing.
func (r *imageRun) wait(res *Result) {
	if r == nil {
		return
	}
	r.wg.Wait()
	res.ImagesSaved += r.saved
	res.ImagesFailed += r.failed
	res.ImageErrors = append(res.ImageErrors, r.errs...)
}

// errDryRun is an image a dry run would have fetched.
var errDryRun = errors.New("dry run: not fetched")

// obtained is an image of an item: the file that holds it already, or
// the bytes to save, or why neither.
type obtained struct {
	name  string
	data  []byte
	err   error
	owner bool // this item made the request: it ends the flight (land)
}

// obtain finds the file of bundle that holds u: known to the memory and a
// whole regular file. Else it returns the image's bytes: copied from
// another bundle that holds it, or downloaded.
func (im *images) obtain(ctx context.Context, bundle, dir, u string) obtained {
	if name, ok := im.mem.lookup(bundle, u); ok {
		if wholeFile(filepath.Join(dir, name)) {
			return obtained{name: name}
		}
		im.mem.forget(bundle, name)
	}
	if im.c.opts.DryRun {
		return obtained{err: errDryRun}
	}
	if b, n, ok := im.mem.elsewhere(bundle, u); ok {
		// The same image in another item (a logo, a shared picture):
		// copied, not fetched again.
		if data, err := os.ReadFile(filepath.Join(im.c.opts.OutputDir, filepath.FromSlash(b), n)); err == nil && len(data) > 0 {
			return obtained{data: data}
		}
	}
	im.mu.Lock()
	if fl := im.flights[u]; fl != nil {
		im.mu.Unlock()
		select {
		case <-fl.done:
			return obtained{data: fl.data, err: fl.err}
		case <-ctx.Done():
			return obtained{err: ctx.Err()}
		}
	}
	fl := &flight{done: make(chan struct{})}
	im.flights[u] = fl
	im.mu.Unlock()
	fl.data, fl.err = im.download(ctx, u)
	close(fl.done)
	return obtained{data: fl.data, err: fl.err, owner: true}
}

// land ends the flight of u once its owner has saved it (or failed):
// from now on the memory has it, or the next run tries again.
func (im *images) land(u string) {
	im.mu.Lock()
	delete(im.flights, u)
	im.mu.Unlock()
}

// write checks that data is a raster image by its bytes, and writes it
// whole into the bundle under a free name, which it returns.
func (im *images) write(bundle, dir, u string, data []byte) (string, error) {
	ext, ok := rasterTypes[http.DetectContentType(data)]
	if !ok {
		return "", fmt.Errorf("%w: the server sent %s", errNotRaster, http.DetectContentType(data))
	}
	if info, err := os.Lstat(dir); err == nil && !info.IsDir() {
		return "", errors.New("the bundle is not a folder")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := im.mem.reserve(bundle, dir, u, ext)
	if err := atomicWrite(filepath.Join(dir, name), data); err != nil {
		im.mem.forget(bundle, name)
		return "", err
	}
	return name, nil
}

// download fetches u with the feeds' client and rules (timeout,
// User-Agent, retries with backoff and Retry-After, size cap), at most
// imageSlots at a time and imagePerHost from one host.
func (im *images) download(ctx context.Context, u string) ([]byte, error) {
	parsed, err := url.Parse(u)
	if err != nil {
		return nil, err
	}
	host := im.hostSlots(strings.ToLower(parsed.Host))
	select {
	case host <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-host }()
	select {
	case im.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-im.slots }()
	f, err := im.fetch.read(ctx, Source{URL: parsed}, Validators{})
	if err != nil {
		return nil, err
	}
	return f.body, nil
}

// hostSlots returns the semaphore of a host.
func (im *images) hostSlots(host string) chan struct{} {
	im.mu.Lock()
	defer im.mu.Unlock()
	s := im.hosts[host]
	if s == nil {
		s = make(chan struct{}, imagePerHost)
		im.hosts[host] = s
	}
	return s
}

// wholeFile reports a regular, non-empty file (files are only ever
// written whole, by a rename).
func wholeFile(path string) bool {
	info, err := os.Lstat(path)
	return err == nil && info.Mode().IsRegular() && info.Size() > 0
}

// sniffFile returns the sniffed type of a regular file's first bytes.
func sniffFile(path string) (string, bool) {
	if !wholeFile(path) {
		return "", false
	}
	f, err := os.Open(path)
	if err != nil {
		return "", false
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", false
	}
	return http.DetectContentType(buf[:n]), true
}
