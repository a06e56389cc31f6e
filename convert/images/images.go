package images

import (
	"context"
	"errors"
	"feed2md/convert/body"
	"feed2md/convert/fetch"
	"feed2md/convert/folder"
	"feed2md/convert/frontmatter"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Error is an image that could not be saved: the body keeps its
// absolute URL, the item is written, and the next run tries again.
type Error struct {
	URL  string // the image's URL
	Item string // the item's link, or its file
	Err  error
}

func (e *Error) Error() string {
	return fmt.Sprintf("image %s of %s: %v (its URL is kept)", e.URL, e.Item, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// errNotRaster is an image whose bytes are not PNG, JPEG, GIF or WebP.
var errNotRaster = errors.New("not a raster image")

// Downloader downloads the images of items (-images download) into their
// bundles. One is made per run; its memory is saved by save.
type Downloader struct {
	store    *folder.Store
	outDir   string
	markdown bool // bodies are Markdown
	dryRun   bool
	fetch    fetch.Fetcher // the feeds' client, User-Agent, timeout and retries, with the image size cap
	hosts    *fetch.Hosts  // requests at a time, shared with the other stages that fetch for items
	mem      *folder.ImageMemory

	mu      sync.Mutex
	flights map[string]*flight             // downloads under way or not yet saved, by URL
	pending map[*folder.Stored]pendingItem // items claimed, waiting for a writer to take their images
}

// flight is one download that items needing the same URL share, so that
// an image several posts show (or fail to show) costs one request.
type flight struct {
	done chan struct{} // closed when data and err are set
	data []byte
	err  error
}

// New makes the image stage of a run: its files go into the
// bundles of st, whose folder is outDir; images are fetched as f fetches
// feeds, up to maxSize bytes each, as many at a time as hosts allows; a
// body is Markdown, else HTML; a dry run fetches and writes nothing.
func New(st *folder.Store, f fetch.Fetcher, hosts *fetch.Hosts, maxSize int64, outDir string, markdown, dryRun bool) *Downloader {
	im := &Downloader{
		store:    st,
		outDir:   outDir,
		markdown: markdown,
		dryRun:   dryRun,
		fetch:    f,
		hosts:    hosts,
		mem:      &folder.ImageMemory{Dir: outDir, DryRun: dryRun},
		flights:  map[string]*flight{},
		pending:  map[*folder.Stored]pendingItem{},
	}
	im.fetch.MaxSize = maxSize
	im.fetch.Kind = fetch.Image // no feed sniff; read whole up to the cap
	return im
}

// Save writes the memory of which file came from which URL. A nil
// receiver (no -images download) does nothing.
func (im *Downloader) Save() error {
	if im == nil {
		return nil
	}
	return im.mem.Save()
}

// Saved returns the images saved into bundle (a folder of the output
// folder, with '/'), for a bundle that is about to go (-prune). A nil
// receiver (no -images download) has none.
func (im *Downloader) Saved(bundle string) []string {
	if im == nil {
		return nil
	}
	return im.mem.Files(bundle)
}

// Gone forgets the images of bundle once it is removed.
func (im *Downloader) Gone(bundle string) {
	if im == nil {
		return
	}
	for _, name := range im.mem.Files(bundle) {
		im.mem.Forget(bundle, name)
	}
}

// Wants reports whether f's images are to be downloaded: -images
// download is on (a nil receiver is off) and f is a bundle's index.md. An
// item that kept a SLUG.md from a run without bundles keeps its URLs.
func (im *Downloader) Wants(f *folder.Stored) bool {
	if im == nil {
		return false
	}
	bundle := filepath.ToSlash(filepath.Dir(f.Name))
	return filepath.Base(f.Name) == "index.md" && bundle != "." && !strings.Contains(bundle, "/")
}

// pendingItem is a claimed item waiting for its images to be rendered.
type pendingItem struct {
	fm     frontmatter.FrontMatter
	body   string
	render func(fm *frontmatter.FrontMatter, body string) ([]byte, error)
}

// Hold keeps a claimed item's front matter and body, and render, which
// renders its file once its images are in, until Finish.
func (im *Downloader) Hold(f *folder.Stored, fm frontmatter.FrontMatter, body string, render func(fm *frontmatter.FrontMatter, body string) ([]byte, error)) {
	im.mu.Lock()
	im.pending[f] = pendingItem{fm, body, render}
	im.mu.Unlock()
}

// Finish saves the images of an item held for f into its bundle, rewrites
// its body and image key to the files saved, and renders it. It runs on
// the writers, while the next items are prepared and claimed; the counts
// go to tally, which is called under a lock that all calls of finish
// share: the images saved and failed, and why those failed.
func (im *Downloader) Finish(ctx context.Context, f *folder.Stored, tally func(saved, failed int, errs []error)) ([]byte, error) {
	im.mu.Lock()
	p, ok := im.pending[f]
	delete(im.pending, f)
	im.mu.Unlock()
	if !ok {
		return nil, errors.New("internal error: no item held for " + f.Name)
	}
	bundle := filepath.ToSlash(filepath.Dir(f.Name))
	saved, failed, errs := im.itemImages(ctx, bundle, filepath.Dir(im.store.Path(f)), &p.fm, &p.body)
	for _, err := range errs {
		if folder.IsFull(err) {
			// The item is not written either: its images are not failures
			// of theirs, and the next run saves them.
			im.mu.Lock()
			tally(saved, 0, nil)
			im.mu.Unlock()
			return nil, err
		}
	}
	im.mu.Lock()
	tally(saved, failed, errs)
	im.mu.Unlock()
	return p.render(&p.fm, p.body)
}

// itemImages fetches an item's images and rewrites its body and image key
// to the files that are in the bundle. It returns how many files it saved
// and which images failed.
func (im *Downloader) itemImages(ctx context.Context, bundle, dir string, fm *frontmatter.FrontMatter, content *string) (saved, failed int, errs []error) {
	markdown := im.markdown
	urls := body.ImageRefs(*content, markdown)
	if fm.Image != "" && !slices.Contains(urls, fm.Image) {
		urls = append(urls, fm.Image)
	}
	if len(urls) == 0 {
		return 0, 0, nil
	}
	item := fm.Link
	if item == "" {
		item = bundle
	}
	got := make([]obtained, len(urls))
	if !im.mem.Known(bundle) {
		// No memory of this bundle (lost, or a folder written by another
		// tool): the files there that have the names these URLs would get,
		// in content order, are theirs.
		for i, u := range urls {
			if n, ok := im.mem.Adopt(bundle, dir, u); ok {
				got[i].name = n
			}
		}
	}
	// Fetched beside each other; named and written in content order, so
	// that names are the same whatever order the downloads end in.
	var wg sync.WaitGroup
	for i, u := range urls {
		if got[i].name != "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = im.obtain(ctx, bundle, dir, u)
		}()
	}
	wg.Wait()
	names := make(map[string]string, len(urls))
	for i, u := range urls {
		g := got[i]
		if g.err == nil && g.name == "" {
			g.name, g.err = im.write(bundle, dir, u, g.data)
			g.data = nil
			if g.err == nil {
				saved++
			}
		}
		if g.owner {
			im.land(u)
		}
		switch {
		case g.err == nil:
			names[u] = g.name
		case errors.Is(g.err, errDryRun):
		case ctx.Err() != nil:
			failed++ // interrupted: counted, without a line for each
		default:
			failed++
			errs = append(errs, &Error{URL: u, Item: item, Err: g.err})
		}
	}
	if n, ok := names[fm.Image]; ok {
		fm.Image = n
	}
	*content = body.RewriteImages(*content, markdown, names)
	return saved, failed, errs
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
func (im *Downloader) obtain(ctx context.Context, bundle, dir, u string) obtained {
	if name, ok := im.mem.Lookup(bundle, u); ok {
		if folder.WholeFile(filepath.Join(dir, name)) {
			return obtained{name: name}
		}
		im.mem.Forget(bundle, name)
	}
	if im.dryRun {
		return obtained{err: errDryRun}
	}
	// A flight is looked for, then another bundle's copy, under one lock:
	// an owner records its file before it ends its flight (land), so
	// one of the two is always seen.
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
	if b, n, ok := im.mem.Elsewhere(bundle, u); ok {
		// The same image in another item (a logo, a shared picture):
		// copied, not fetched again.
		// Neither the bundle nor the file may be a link: the copy would
		// publish whatever it points to.
		var data []byte
		dir := filepath.Join(im.outDir, filepath.FromSlash(b))
		info, err := os.Lstat(dir)
		if err == nil && !info.IsDir() {
			err = &folder.LinkError{Path: dir, What: "not a folder"}
		}
		if err == nil {
			data, err = folder.ReadOwn(filepath.Join(dir, n))
		}
		if err == nil && len(data) > 0 {
			im.mu.Unlock()
			return obtained{data: data}
		}
	}
	fl := &flight{done: make(chan struct{})}
	im.flights[u] = fl
	im.mu.Unlock()
	fl.data, fl.err = im.download(ctx, u)
	close(fl.done)
	return obtained{data: fl.data, err: fl.err, owner: true}
}

// land ends the flight of u once its owner has saved it: from now on the
// memory has it. A failed flight is kept to the end of the run.
func (im *Downloader) land(u string) {
	im.mu.Lock()
	// A failed download stays, so that the items after it in this run
	// share its failure instead of asking again; the next run tries
	// again. One cut short by an interrupt is not a failure of the image.
	if fl := im.flights[u]; fl == nil || fl.err == nil || errors.Is(fl.err, context.Canceled) {
		delete(im.flights, u)
	}
	im.mu.Unlock()
}

// write checks that data is a raster image by its bytes, and writes it
// whole into the bundle under a free name, which it returns.
func (im *Downloader) write(bundle, dir, u string, data []byte) (string, error) {
	sniffed := http.DetectContentType(data)
	ext, ok := body.RasterTypes[sniffed]
	if !ok {
		// Bytes copied from another bundle; a download is judged in
		// download, which knows what the server said.
		return "", fmt.Errorf("%w: its bytes read as %s", errNotRaster, sniffed)
	}
	if info, err := os.Lstat(dir); err == nil && !info.IsDir() {
		return "", errors.New("the bundle is not a folder")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	name := im.mem.Reserve(bundle, dir, u, ext)
	if err := im.store.AtomicWrite(filepath.Join(dir, name), data); err != nil {
		im.mem.Forget(bundle, name)
		return "", err
	}
	return name, nil
}

// download fetches u with the feeds' client and rules (timeout,
// User-Agent, retries with backoff and Retry-After, size cap), as many at
// a time as the run's Hosts allows.
func (im *Downloader) download(ctx context.Context, u string) ([]byte, error) {
	parsed, err := url.Parse(u)
	if err != nil {
		return nil, err
	}
	release, err := im.hosts.Take(ctx, parsed.Host)
	if err != nil {
		return nil, err
	}
	defer release()
	f, err := im.fetch.Read(ctx, fetch.Source{URL: parsed}, fetch.Validators{})
	if err != nil {
		return nil, err
	}
	if err := rasterCheck(f.Body, f.ContentType); err != nil {
		return nil, err
	}
	return f.Body, nil
}

// rasterCheck fails for data that is not a PNG, JPEG, GIF or WebP image
// by its bytes, saying what the bytes look like (sniffed) and, apart,
// what the server declared, which may be either the same or a lie.
func rasterCheck(data []byte, declared string) error {
	sniffed := http.DetectContentType(data)
	if _, ok := body.RasterTypes[sniffed]; ok {
		return nil
	}
	if declared == "" {
		declared = "no type"
	}
	return fmt.Errorf("%w: its bytes read as %s (the server declared %s)", errNotRaster, sniffed, declared)
}
