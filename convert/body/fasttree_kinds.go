package body

import "golang.org/x/net/html/atom"

// fastKind is what html.Parse's "in body" mode does with a start tag,
// for the elements fastTree accepts (see inBodyIM in x/net/html).
type fastKind uint8

const (
	kindNone       fastKind = iota // not accepted
	kindBlock                      // closes an open <p>, is added
	kindHeading                    // as kindBlock, and closes a heading that is the current element
	kindItem                       // <li>, <dd>, <dt>: as kindBlock, and may close an open one
	kindA                          // closes an open <a>; a formatting element
	kindFormatting                 // added to the active formatting elements, attributes sorted
	kindVoid                       // added and closed at once
	kindHr                         // as kindVoid, and closes an open <p>
	kindPlain                      // added, nothing else
	kindRaw                        // added; its text is raw (the tokenizer's), its end tag the next one
	kindHeadRaw                    // as kindRaw, but put in the head before the body has begun
	kindButton                     // closes an open <button>, is added
	kindTable                      // <table>: added where no <p> is open (see fasttree_table.go)
	kindTablePart                  // the other table elements: only in their place in a table
)

// kindOf is the fastKind of an element. No element is accepted that
// html.Parse treats apart from these kinds (head, table, form, foreign
// and template elements, <xmp>, <textarea>, <title>, <plaintext>, <nobr>, <image>, ruby, ...),
// but the table elements, for which see fasttree_table.go.
func kindOf(a atom.Atom) fastKind {
	switch a {
	case atom.Table:
		return kindTable
	case atom.Caption, atom.Colgroup, atom.Col, atom.Thead, atom.Tbody, atom.Tfoot, atom.Tr, atom.Td, atom.Th:
		return kindTablePart
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details, atom.Dialog,
		atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Header,
		atom.Hgroup, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Search, atom.Section,
		atom.Summary, atom.Ul, atom.Pre, atom.Listing:
		return kindBlock
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return kindHeading
	case atom.Li, atom.Dd, atom.Dt:
		return kindItem
	case atom.A:
		return kindA
	case atom.B, atom.Big, atom.Code, atom.Em, atom.Font, atom.I, atom.S, atom.Small, atom.Strike,
		atom.Strong, atom.Tt, atom.U:
		return kindFormatting
	case atom.Area, atom.Br, atom.Embed, atom.Img, atom.Wbr, atom.Param, atom.Source, atom.Track:
		return kindVoid
	case atom.Hr:
		return kindHr
	case atom.Button:
		return kindButton
	case atom.Iframe, atom.Noembed:
		return kindRaw
	case atom.Script, atom.Style, atom.Noframes, atom.Noscript:
		return kindHeadRaw
	case atom.Span, atom.Abbr, atom.Acronym, atom.Bdi, atom.Bdo, atom.Cite, atom.Data, atom.Del, atom.Dfn,
		atom.Ins, atom.Kbd, atom.Mark, atom.Q, atom.Samp, atom.Sub, atom.Sup, atom.Time, atom.Var,
		atom.Picture, atom.Video, atom.Audio:
		return kindPlain
	}
	return kindNone
}

func headingKind(a atom.Atom) bool { return kindOf(a) == kindHeading }

// specialElement reports whether an element is in the spec's "special"
// category (isSpecialElementMap in x/net/html).
func specialElement(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Applet, atom.Area, atom.Article, atom.Aside, atom.Base, atom.Basefont,
		atom.Bgsound, atom.Blockquote, atom.Body, atom.Br, atom.Button, atom.Caption, atom.Center,
		atom.Col, atom.Colgroup, atom.Dd, atom.Details, atom.Dir, atom.Div, atom.Dl, atom.Dt, atom.Embed,
		atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer, atom.Form, atom.Frame, atom.Frameset,
		atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Head, atom.Header, atom.Hgroup,
		atom.Hr, atom.Html, atom.Iframe, atom.Img, atom.Input, atom.Keygen, atom.Li, atom.Link,
		atom.Listing, atom.Main, atom.Marquee, atom.Menu, atom.Meta, atom.Nav, atom.Noembed,
		atom.Noframes, atom.Noscript, atom.Object, atom.Ol, atom.P, atom.Param, atom.Plaintext,
		atom.Pre, atom.Script, atom.Section, atom.Select, atom.Source, atom.Style, atom.Summary,
		atom.Table, atom.Tbody, atom.Td, atom.Template, atom.Textarea, atom.Tfoot, atom.Th,
		atom.Thead, atom.Title, atom.Tr, atom.Track, atom.Ul, atom.Wbr, atom.Xmp:
		return true
	}
	return false
}
