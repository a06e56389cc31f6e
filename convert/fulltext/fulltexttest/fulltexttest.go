// Package fulltexttest makes the web pages that -fulltext is tested on,
// and scores what was extracted from them as the public
// article-extraction benchmark does (ShingleF1).
package fulltexttest

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Layouts is how many page layouts Page has.
const Layouts = 4

// Page returns a whole web page in layout (0 to Layouts-1) whose main
// article is title and article (HTML), set among the boilerplate of real
// sites: navigation, a cookie notice, a byline, share buttons, a sidebar of
// other headlines, related posts, comments, a footer, scripts and
// styles. None of that boilerplate's words are in the article, so
// that an extractor that keeps any of it loses precision.
func Page(layout int, title, article string) string {
	t := html.EscapeString(title)
	head := `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>` + t + ` | The Daily Example</title>
<meta name="viewport" content="width=device-width">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}gtag('js',new Date());</script>
<script type="application/ld+json">{"@type":"NewsArticle","headline":"` + t + `"}</script>
<style>.cookie{position:fixed;bottom:0}</style>
</head>`
	nav := `<nav class="menu"><ul><li><a href="/">Home</a></li><li><a href="/world/">Worldwide</a></li><li><a href="/politics/">Politicians</a></li><li><a href="/sport/">Sporting</a></li><li><a href="/subscribe">Subscribe today</a></li></ul></nav>`
	cookie := `<div class="cookie" id="cookie-consent">We use cookies to improve your experience. <button>Accept all cookies</button> <a href="/privacy">Privacy settings</a></div>`
	byline := `<p class="byline">By <a href="/authors/jane">Jane Quill</a>, staff writer · 7 min read</p>`
	share := `<div class="share"><a href="https://twitter.example/share">Share on Twitter</a> <a href="https://facebook.example/share">Share on Facebook</a> <a href="mailto:?subject=x">Email this</a></div>`
	sidebar := `<aside class="sidebar"><h3>Most popular</h3><ol>` +
		`<li><a href="/a1">Mayor opens new riverside parking garage</a></li>` +
		`<li><a href="/a2">Ten recipes for a rainy weekend afternoon</a></li>` +
		`<li><a href="/a3">Local bakery wins regional bread contest</a></li>` +
		`<li><a href="/a4">Traffic delays expected near the stadium</a></li></ol>` +
		`<div class="newsletter"><h3>Newsletter</h3><p>Get the morning briefing in your inbox every weekday.</p><form><input type="email"><button>Sign up</button></form></div></aside>`
	related := `<section class="related"><h2>Related stories</h2><ul><li><a href="/r1">Councillors debate the harbour budget again</a></li><li><a href="/r2">Volunteers clean the beach after storm</a></li></ul></section>`
	comments := `<section id="comments" class="comments"><h2>3 comments</h2>` +
		`<div class="comment"><p class="who">grumpy_reader wrote:</p><p>Totally disagree with this, typical nonsense from this paper.</p></div>` +
		`<div class="comment"><p class="who">anna_k wrote:</p><p>Thanks for sharing, bookmarked for later reading tonight.</p></div>` +
		`<form class="reply"><textarea></textarea><button>Post comment</button></form></section>`
	footer := `<footer class="site-footer"><p>© 2026 The Daily Example Media Group. All rights reserved.</p><ul><li><a href="/imprint">Imprint</a></li><li><a href="/terms">Terms of use</a></li><li><a href="/careers">Careers</a></li></ul></footer>
<script src="/static/app.js"></script><script>document.querySelectorAll('.share a').forEach(function(a){a.onclick=track})</script>`
	switch layout % Layouts {
	case 0: // a news site: semantic article in main
		return head + `<body><header class="masthead"><a class="logo" href="/">The Daily Example</a>` + nav + `</header>` + cookie +
			`<main><article><h1>` + t + `</h1>` + byline + share + `<div class="article-body">` + article + `</div>` + share + `</article>` + related + `</main>` + sidebar + comments + footer + `</body></html>`
	case 1: // a WordPress blog: divs with its classes
		return head + `<body class="post-template-default single"><div id="page" class="site"><div class="site-header"><div class="site-title"><a href="/">The Daily Example</a></div>` + nav + `</div>` +
			`<div id="content" class="site-content"><div id="primary" class="content-area"><div class="post type-post hentry"><h1 class="entry-title">` + t + `</h1><div class="entry-meta">` + byline + `</div><div class="entry-content">` + article +
			`</div>` + share + `<div class="entry-footer">Posted in <a href="/category/misc">Miscellany</a> · Tagged <a href="/tag/x">examples</a></div></div>` + comments + `</div><div id="secondary" class="widget-area">` + sidebar + `</div></div>` + footer + `</div>` + cookie + `</body></html>`
	case 2: // divs only, no telling classes
		return head + `<body><div>` + nav + `</div>` + cookie + `<div><div><div><h1>` + t + `</h1></div><div>` + byline + `</div><div>` + article + `</div><div>` + share + `</div></div><div>` + sidebar + `</div></div><div>` + related + `</div>` + comments + footer + `</body></html>`
	default: // a table layout, as old sites are
		return head + `<body><table width="100%"><tr><td colspan="2">` + nav + `</td></tr><tr><td width="70%" valign="top"><h1>` + t + `</h1>` + byline + article + share +
			`</td><td valign="top">` + sidebar + `</td></tr><tr><td colspan="2">` + comments + footer + `</td></tr></table>` + cookie + `</body></html>`
	}
}

// Excerpt returns the first n words of the text of HTML s, as an excerpt
// feed carries.
func Excerpt(s string, n int) string {
	w := strings.Fields(Text(s))
	if len(w) > n {
		w = append(w[:n], "[…]")
	}
	return strings.Join(w, " ")
}

var (
	tagRE    = regexp.MustCompile(`(?s)<(script|style)\b.*?</(script|style)\s*>|<!--.*?-->|<[^>]*>`)
	mdLinkRE = regexp.MustCompile(`\]\([^)]*\)`)
	wordRE   = regexp.MustCompile(`[\p{L}\p{N}\p{M}_]+`)
)

// Text returns the text of HTML s: tags dropped, entities read.
func Text(s string) string {
	return html.UnescapeString(tagRE.ReplaceAllString(s, " "))
}

// MarkdownText returns the text of a Markdown body: its raw HTML (as
// Text), and the targets of its links and images dropped (the words a
// reader sees stay).
func MarkdownText(s string) string {
	return Text(mdLinkRE.ReplaceAllString(s, "]"))
}

// shingles counts the 4-word shingles of s, its words as the
// benchmark's \w+ finds them.
func shingles(s string) map[string]int {
	w := wordRE.FindAllString(s, -1)
	m := map[string]int{}
	for i := 0; i < max(1, len(w)-3); i++ {
		m[strings.Join(w[i:min(i+4, len(w))], " ")]++
	}
	if len(w) == 0 {
		return map[string]int{}
	}
	return m
}

// ShingleF1 scores predicted texts against true ones as the
// article-extraction benchmark (scrapinghub/article-extraction-benchmark,
// evaluate.py) does: per page, the true and false positives and false
// negatives of 4-word shingles, normalised to sum to 1; precision and
// recall are their means over the pages; F1 is their harmonic mean.
func ShingleF1(truth, pred []string) (precision, recall, f1 float64) {
	if len(truth) != len(pred) {
		panic(fmt.Sprintf("%d truths, %d predictions", len(truth), len(pred)))
	}
	var ps, rs []float64
	for i := range truth {
		ts, pss := shingles(truth[i]), shingles(pred[i])
		var tp, fp, fn float64
		for k, tc := range ts {
			pc := pss[k]
			tp += float64(min(tc, pc))
			fn += float64(max(0, tc-pc))
		}
		for k, pc := range pss {
			fp += float64(max(0, pc-ts[k]))
		}
		if s := tp + fp + fn; s > 0 {
			tp, fp, fn = tp/s, fp/s, fn/s
		}
		if fp == 0 && fn == 0 {
			if tp > 0 { // the same text: both scores 1 (two empty texts: neither counts)
				ps, rs = append(ps, 1), append(rs, 1)
			}
			continue
		}
		if tp+fp > 0 {
			ps = append(ps, tp/(tp+fp))
		}
		if tp+fn > 0 {
			rs = append(rs, tp/(tp+fn))
		}
	}
	precision, recall = mean(ps), mean(rs)
	if precision+recall > 0 {
		f1 = 2 * precision * recall / (precision + recall)
	}
	return precision, recall, f1
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// Peak wraps serve in a handler that holds each request for hold, so
// that requests made together overlap, and counts how many it serves at
// once; peak returns the most it has seen.
func Peak(hold time.Duration, serve http.HandlerFunc) (h http.Handler, peak func() int) {
	var mu sync.Mutex
	now, most := 0, 0
	h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		now++
		most = max(most, now)
		mu.Unlock()
		time.Sleep(hold)
		mu.Lock()
		now--
		mu.Unlock()
		serve(w, r)
	})
	return h, func() int { mu.Lock(); defer mu.Unlock(); return most }
}
