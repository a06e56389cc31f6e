package body

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// Tables, as fastTree takes them. html.Parse reads a table in the modes
// of the spec's "in table" section (inTableIM, inTableBodyIM, inRowIM,
// inColumnGroupIM, inCaptionIM, inCellIM in x/net/html); for a plainly
// written table each of them only appends, the mode following from the
// current element:
//
//   - <table> (not in an open <p>: without a doctype html.Parse is in
//     quirks mode, where the table would go in the <p>) is added, in body
//     mode or in a cell or caption, as any element;
//   - in a <table>, <caption>, <colgroup>, <thead>, <tbody> and <tfoot>
//     are added (clearStackToContext(tableScope) has nothing to pop), and
//     a <tr> is added in a <tbody> that html.Parse implies first, without
//     attributes (parseImpliedToken);
//   - in a section, <tr> is added; in a row, <td> and <th>; in a
//     <colgroup>, <col>, closed at once (and </col> ignored);
//   - in those six (tableContext), text that is white space only is added
//     to the current element, as a comment is; other text, and any other
//     start tag, would be foster-parented or close elements: fastTree
//     gives up;
//   - in a cell or caption html.Parse reads as in body, the scope checks
//     stopping at it (it is a scope boundary, and a marker on the active
//     formatting elements), which is why fastTree's count of open <p>,
//     which it requires to be zero for a <table>, still holds (an <a>
//     in a cell requires none open, as anywhere);
//   - an end tag closes the current element, as the popUntil of its mode
//     does when that is the current element; </table> also closes a
//     section left open (the implied <tbody>), as inTableBodyIM does
//     before closing the table.
//
// fastTree gives up on a table still open at the end of the body.

// tableContext reports whether, with a as the current element, html.Parse
// is in one of its table modes other than "in cell" and "in caption".
func tableContext(a atom.Atom) bool {
	switch a {
	case atom.Table, atom.Thead, atom.Tbody, atom.Tfoot, atom.Tr, atom.Colgroup:
		return true
	}
	return false
}

func sectionKind(a atom.Atom) bool { return a == atom.Thead || a == atom.Tbody || a == atom.Tfoot }

// acceptsInTable reports whether a start tag for a, with the current
// element in tableContext, is one html.Parse only adds.
func (b *treeBuilder) acceptsInTable(a atom.Atom) bool {
	switch top := b.top().DataAtom; {
	case top == atom.Table:
		switch a {
		case atom.Caption, atom.Colgroup, atom.Thead, atom.Tbody, atom.Tfoot:
			return true
		case atom.Tr: // in an implied <tbody>
			return len(b.stack) < fastMaxDepth-1
		}
	case sectionKind(top):
		return a == atom.Tr
	case top == atom.Tr:
		return a == atom.Td || a == atom.Th
	case top == atom.Colgroup:
		return a == atom.Col
	}
	return false
}

// tableText reports whether text t may be added with the current element
// in tableContext: white space only (strings.Trim(t, whitespace) in
// inTableIM and inColumnGroupIM).
func tableText(t string) bool { return strings.Trim(t, " \t\r\n\f") == "" }
