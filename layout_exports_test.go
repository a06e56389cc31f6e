package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// exportsLoadMode is what the exports rule needs from go/packages: the
// module's own packages type-checked from source with their uses recorded;
// their dependencies come from export data.
const exportsLoadMode = packages.NeedName | packages.NeedFiles | packages.NeedImports |
	packages.NeedTypes | packages.NeedTypesInfo | packages.NeedSyntax

// interfaceMethods are method names that exist to satisfy an interface
// (fmt, errors, io, sort, heap, net/http, encoding); an exported method of
// one of these names is exempt from the exports rule even when no interface
// in sight declares it (errors.Is looks for Unwrap with an anonymous one).
var interfaceMethods = map[string]bool{
	"String": true, "GoString": true, "Format": true, "Error": true, "Unwrap": true, "Is": true, "As": true,
	"Read": true, "Write": true, "Close": true, "Seek": true, "ReadAt": true, "WriteAt": true,
	"ReadFrom": true, "WriteTo": true, "Len": true, "Less": true, "Swap": true, "Push": true, "Pop": true,
	"ServeHTTP": true, "RoundTrip": true, "Timeout": true, "Temporary": true, "Scan": true, "Value": true,
	"MarshalJSON": true, "UnmarshalJSON": true, "MarshalText": true, "UnmarshalText": true,
	"MarshalXML": true, "UnmarshalXML": true, "MarshalYAML": true, "UnmarshalYAML": true,
	"MarshalBinary": true, "UnmarshalBinary": true,
}

// exportCandidate is an exported name of a package under convert/ (not
// convert itself, whose exports are the library's API) that some other
// package of the module must use.
type exportCandidate struct {
	obj   types.Object
	key   string       // objKey of obj
	label string       // "pkg.Name" or "pkg.Type.Method"
	recv  *types.Named // the receiver of a method, else nil
}

// checkExports holds rule 5: every exported package-level name and every
// exported method of a package under convert/, other than convert, is used
// by another package of the module, its tests included (a test of convert
// that reads a stage's knob is a user of it). A package whose name ends in
// "test" is test support, like net/http/httptest, and exempt. A method
// that satisfies an
// interface is exempt. Uses in files the type checker does not see here
// (another GOOS, a build tag) count when a selector names them.
func checkExports(t *layoutTree) []string {
	checked := false
	for _, p := range t.pkgs {
		checked = checked || t.role(p.path) >= roleShared
	}
	if !checked { // nothing under convert/ but convert: no need to type-check
		return nil
	}
	cfg := &packages.Config{Mode: exportsLoadMode, Dir: t.root, Fset: token.NewFileSet(), Env: append(os.Environ(), "GOWORK=off"), Tests: true}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return []string{"go.mod:1: loading the module's packages for the exports rule: " + err.Error()}
	}
	var out []string
	for _, p := range pkgs {
		for _, e := range p.Errors {
			out = append(out, fmt.Sprintf("%s: loading %s for the exports rule: %s", e.Pos, p.PkgPath, e.Msg))
		}
	}
	if len(out) > 0 {
		return out
	}
	used := usedByOthers(pkgs)
	syntax := syntaxUses(t, pkgs)
	ifaces := interfacesInSight(pkgs)
	for _, c := range exportCandidates(t, pkgs) {
		pkgPath := c.obj.Pkg().Path()
		switch {
		case used[c.key]:
		case c.recv != nil && (interfaceMethods[c.obj.Name()] || satisfiesInterface(c.recv, c.obj.Name(), ifaces)):
		case c.recv == nil && usedElsewhere(syntax[pkgPath+"."+c.obj.Name()], pkgPath):
		case c.recv == nil && fieldOfUsed(c.obj, used):
		case c.recv != nil && usedElsewhere(syntax["."+c.obj.Name()], pkgPath):
		default:
			pos := cfg.Fset.Position(c.obj.Pos())
			out = append(out, fmt.Sprintf("%s:%d: %s: exported but only %s uses it",
				t.rel(pos.Filename), pos.Line, c.label, c.obj.Pkg().Name()))
		}
	}
	return sortedLines(out)
}

// exportCandidates returns the exported names and methods of the packages
// under convert/ other than convert.
func exportCandidates(t *layoutTree, pkgs []*packages.Package) []exportCandidate {
	var out []exportCandidate
	for _, p := range pkgs {
		if t.role(p.PkgPath) < roleShared || p.Types == nil || p.ID != p.PkgPath || strings.HasSuffix(p.Name, "test") {
			continue
		}
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			obj := scope.Lookup(name)
			if obj.Exported() {
				out = append(out, exportCandidate{obj: obj, key: objKey(obj), label: p.Name + "." + name})
			}
			tn, ok := obj.(*types.TypeName)
			if !ok || tn.IsAlias() {
				continue
			}
			n, ok := tn.Type().(*types.Named)
			if !ok || types.IsInterface(n) {
				continue
			}
			for m := range n.Methods() {
				if m.Exported() {
					out = append(out, exportCandidate{obj: m, key: objKey(m), label: p.Name + "." + name + "." + m.Name(), recv: n})
				}
			}
		}
	}
	return out
}

// objKey names a package-level object "path.Name" and a method
// "path.Type.Name"; it returns "" for fields, interface methods and
// objects of no package.
func objKey(obj types.Object) string {
	if obj == nil || obj.Pkg() == nil {
		return ""
	}
	switch o := obj.(type) {
	case *types.Func:
		if recv := o.Origin().Signature().Recv(); recv != nil {
			n := namedOf(recv.Type())
			if n == nil || types.IsInterface(n) {
				return ""
			}
			return o.Pkg().Path() + "." + n.Obj().Name() + "." + o.Name()
		}
	case *types.Var:
		if o.IsField() {
			return ""
		}
	}
	return obj.Pkg().Path() + "." + obj.Name()
}

// namedOf returns the named type t is, or points to, or nil.
func namedOf(t types.Type) *types.Named {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Origin()
	}
	return nil
}

// usedByOthers returns the objKeys that each package uses from another
// package: named in its code, or, for a type, the type of a value it
// handles or whose fields and methods it selects (a stage's result type
// that convert never names is still used by convert).
func usedByOthers(pkgs []*packages.Package) map[string]bool {
	used := map[string]bool{}
	for _, q := range pkgs {
		if q.TypesInfo == nil {
			continue
		}
		var mark func(types.Type)
		mark = func(typ types.Type) {
			switch x := types.Unalias(typ).(type) {
			case *types.Pointer:
				mark(x.Elem())
			case *types.Slice:
				mark(x.Elem())
			case *types.Array:
				mark(x.Elem())
			case *types.Chan:
				mark(x.Elem())
			case *types.Map:
				mark(x.Key())
				mark(x.Elem())
			case *types.Named:
				if obj := x.Origin().Obj(); obj.Pkg() != nil && obj.Pkg().Path() != q.PkgPath {
					used[objKey(obj)] = true
				}
			}
		}
		for _, obj := range q.TypesInfo.Uses {
			if obj.Pkg() != nil && obj.Pkg().Path() != q.PkgPath {
				used[objKey(obj)] = true
			}
		}
		for _, sel := range q.TypesInfo.Selections {
			mark(sel.Recv())
		}
		for _, tv := range q.TypesInfo.Types {
			mark(tv.Type)
		}
	}
	return used
}

// interfacesInSight returns the interfaces with methods that the module's
// packages declare, import, spell out in their code or pass values to.
func interfacesInSight(pkgs []*packages.Package) []*types.Interface {
	seen := map[*types.Interface]bool{}
	var out []*types.Interface
	add := func(t types.Type) {
		if it, ok := t.Underlying().(*types.Interface); ok && it.NumMethods() > 0 && !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	scopes := map[*types.Package]bool{}
	for _, p := range pkgs {
		if p.Types == nil {
			continue
		}
		scopes[p.Types] = true
		for _, imp := range p.Types.Imports() {
			scopes[imp] = true
		}
		if p.TypesInfo == nil {
			continue
		}
		for _, tv := range p.TypesInfo.Types {
			add(tv.Type)
			if sig, ok := tv.Type.(*types.Signature); ok { // a library's func taking an interface
				for v := range sig.Params().Variables() {
					add(v.Type())
				}
			}
		}
	}
	for pkg := range scopes {
		for _, name := range pkg.Scope().Names() {
			if tn, ok := pkg.Scope().Lookup(name).(*types.TypeName); ok {
				add(tn.Type())
			}
		}
	}
	return out
}

// satisfiesInterface reports whether n or *n implements one of ifaces
// that has a method called method.
func satisfiesInterface(n *types.Named, method string, ifaces []*types.Interface) bool {
	if n.TypeParams().Len() > 0 {
		return false
	}
	for _, it := range ifaces {
		has := false
		for i := range it.NumMethods() {
			has = has || it.Method(i).Name() == method
		}
		if has && (types.Implements(n, it) || types.Implements(types.NewPointer(n), it)) {
			return true
		}
	}
	return false
}

// syntaxUses looks at the files the type checker did not see on this
// machine (other GOOS, build tags) and returns which packages name
// "path.Name" (a qualified identifier) and ".Name" (any selector).
func syntaxUses(t *layoutTree, pkgs []*packages.Package) map[string]map[string]bool {
	ignored := map[string]bool{} // by go list, for this GOOS and these tags
	for _, p := range pkgs {
		for _, f := range p.IgnoredFiles {
			ignored[f] = true
		}
	}
	names := map[string]string{} // import path → package name
	for _, p := range t.pkgs {
		names[p.path] = p.name
	}
	uses := map[string]map[string]bool{}
	use := func(key, by string) {
		if uses[key] == nil {
			uses[key] = map[string]bool{}
		}
		uses[key][by] = true
	}
	for _, p := range t.pkgs {
		for _, f := range p.files {
			if !ignored[filepath.Join(t.root, filepath.FromSlash(f.name))] {
				continue
			}
			local := map[string]string{} // local name → import path
			for _, spec := range f.ast.Imports {
				ip, _ := strconv.Unquote(spec.Path.Value)
				name, ok := names[ip]
				if !ok {
					name = path.Base(ip)
				}
				if spec.Name != nil {
					name = spec.Name.Name
				}
				local[name] = ip
			}
			ast.Inspect(f.ast, func(n ast.Node) bool {
				if sel, ok := n.(*ast.SelectorExpr); ok {
					use("."+sel.Sel.Name, p.path)
					if x, ok := sel.X.(*ast.Ident); ok && local[x.Name] != "" {
						use(local[x.Name]+"."+sel.Sel.Name, p.path)
					}
				}
				return true
			})
		}
	}
	return uses
}

// usedElsewhere reports whether a package other than self is among by.
func usedElsewhere(by map[string]bool, self string) bool {
	for p := range by {
		if p != self {
			return true
		}
	}
	return false
}

// fieldOfUsed reports whether obj is a type that an exported field of an
// exported struct of its package holds (itself, or in a slice, array,
// map or pointer), that struct being used by another package: a user's
// template reaches such a type through the field (FrontMatter's
// Enclosures), by reflection no type checker sees.
func fieldOfUsed(obj types.Object, used map[string]bool) bool {
	tn, ok := obj.(*types.TypeName)
	if !ok {
		return false
	}
	scope := obj.Pkg().Scope()
	for _, name := range scope.Names() {
		holder, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || !holder.Exported() || holder == tn || !used[objKey(holder)] {
			continue
		}
		st, ok := holder.Type().Underlying().(*types.Struct)
		if !ok {
			continue
		}
		for f := range st.Fields() {
			if f.Exported() && holds(f.Type(), tn) {
				return true
			}
		}
	}
	return false
}

// holds reports whether t is tn, or a slice, array, map or pointer of it.
func holds(t types.Type, tn *types.TypeName) bool {
	for {
		switch u := t.(type) {
		case *types.Named:
			return u.Obj() == tn
		case *types.Pointer:
			t = u.Elem()
		case *types.Slice:
			t = u.Elem()
		case *types.Array:
			t = u.Elem()
		case *types.Map:
			t = u.Elem()
		default:
			return false
		}
	}
}
