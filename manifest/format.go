package manifest

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"unicode/utf8"
)

// ErrNotFormattable is returned by Format for a document that has no tree
// (a syntax error, an empty file, a size limit) or whose strings are not
// valid UTF-8: formatting it would lose or alter content. The parse
// diagnostics say why.
var ErrNotFormattable = errors.New("document cannot be formatted: it does not parse cleanly")

// FormatOptions tune Format.
type FormatOptions struct {
	// Reorder puts the members of the objects manifestctl knows in the
	// order of Procore's own examples (see CanonicalOrder); unknown members
	// follow the known ones in their original relative order; keys chosen
	// by the author (tool keys, configuration property keys) keep their
	// order. Without it, members keep the order they are written in.
	Reorder bool
}

// Format returns the canonical layout of a parsed manifest. It changes
// layout only, like gofmt and prettier, so that a manifest pasted from
// Procore's editor keeps Procore's order:
//
//   - two-space indentation, one member or element per line, "key": value
//     with one space after the colon, empty objects and arrays as {} and [],
//     a final newline, no byte-order mark;
//   - an array or object below the top level that is written on one line
//     and holds only scalars (or empty containers) stays on one line, as
//     ["a", "b"] or {"name": "N", "type": "string"}: Procore's examples
//     write "required" lists that way;
//   - line endings as in the source: CRLF when the first line ends with
//     CRLF, LF otherwise;
//   - members in the order written (FormatWith with Reorder for Procore's
//     order);
//   - strings re-encoded minimally (only '"', '\\' and control characters
//     are escaped) without ever changing a value: a string whose text
//     cannot be re-encoded exactly (a lone surrogate escape) is kept as
//     written;
//   - numbers exactly as written.
//
// Duplicate keys are kept, in their original order, so that nothing is lost;
// validate reports them. Formatting a formatted document returns the same
// bytes.
func Format(doc *Document) ([]byte, error) {
	return FormatWith(doc, FormatOptions{})
}

// FormatWith is Format with options.
func FormatWith(doc *Document, opts FormatOptions) ([]byte, error) {
	if doc == nil || doc.Root == nil {
		return nil, ErrNotFormattable
	}
	if !utf8.Valid(doc.Src) {
		return nil, ErrNotFormattable
	}
	f := &formatter{src: doc.Src, buf: make([]byte, 0, len(doc.Src)+len(doc.Src)/4), reorder: opts.Reorder, newline: "\n"}
	if i := bytes.IndexByte(doc.Src, '\n'); i > 0 && doc.Src[i-1] == '\r' {
		f.newline = "\r\n"
	}
	return f.top(doc.Root), nil
}

// FormatNode writes n in the canonical layout with members in Procore's
// order (Format with Reorder) and one member or element per line, as the
// top-level value: the layout of the manifests manifestctl generates
// (init, migrate). src is the source n was parsed from, used to keep
// strings that cannot be re-encoded exactly; nodes built in memory
// (Start == End) are always encoded from their value. src may be nil.
func FormatNode(n *Node, src []byte) []byte {
	f := &formatter{src: src, buf: make([]byte, 0, 4096), reorder: true, newline: "\n", expand: true}
	return f.top(n)
}

type formatter struct {
	src     []byte
	buf     []byte
	reorder bool
	newline string
	expand  bool // one member or element per line everywhere
	// v3 is set for a manifest of schema 3.x, whose examples order some
	// members differently from 4.1's.
	v3 bool
}

func (f *formatter) top(n *Node) []byte {
	f.v3 = n != nil && n.Kind == Object && !strings.HasPrefix(n.Get("schema_version").Text(), "4")
	f.value(n, secRoot, 0)
	f.buf = append(f.buf, f.newline...)
	return f.buf
}

// inline reports whether n is kept on one line: a container below the top
// level, written on one line in the source, whose members or elements are
// all scalars or empty containers.
func (f *formatter) inline(n *Node, depth int) bool {
	if f.expand || depth == 0 || n.End <= n.Start || n.End > len(f.src) {
		return false
	}
	flat := func(v *Node) bool {
		return v == nil || (v.Kind != Object && v.Kind != Array) || (len(v.Members) == 0 && len(v.Elems) == 0)
	}
	// The members first: then the source scanned below is that of a flat
	// container, and the whole document is scanned at most once.
	for _, m := range n.Members {
		if !flat(m.Value) {
			return false
		}
	}
	for _, e := range n.Elems {
		if !flat(e) {
			return false
		}
	}
	return bytes.IndexByte(f.src[n.Start:n.End], '\n') < 0
}

func (f *formatter) indent(depth int) {
	f.buf = append(f.buf, f.newline...)
	for range depth {
		f.buf = append(f.buf, ' ', ' ')
	}
}

func (f *formatter) value(n *Node, sec section, depth int) {
	if n == nil {
		f.buf = append(f.buf, "null"...)
		return
	}
	switch n.Kind {
	case Object:
		if len(n.Members) == 0 {
			f.buf = append(f.buf, "{}"...)
			return
		}
		members := n.Members
		if f.reorder {
			members = f.orderMembers(members, sec)
		}
		inline := f.inline(n, depth)
		f.buf = append(f.buf, '{')
		for i, m := range members {
			if i > 0 {
				f.buf = append(f.buf, ',')
			}
			if inline {
				if i > 0 {
					f.buf = append(f.buf, ' ')
				}
			} else {
				f.indent(depth + 1)
			}
			f.buf = f.appendKey(m)
			f.buf = append(f.buf, ':', ' ')
			f.value(m.Value, sec.child(m.Key), depth+1)
		}
		if !inline {
			f.indent(depth)
		}
		f.buf = append(f.buf, '}')
	case Array:
		if len(n.Elems) == 0 {
			f.buf = append(f.buf, "[]"...)
			return
		}
		inline := f.inline(n, depth)
		f.buf = append(f.buf, '[')
		elem := sec.elem()
		for i, e := range n.Elems {
			if i > 0 {
				f.buf = append(f.buf, ',')
			}
			if inline {
				if i > 0 {
					f.buf = append(f.buf, ' ')
				}
			} else {
				f.indent(depth + 1)
			}
			f.value(e, elem, depth+1)
		}
		if !inline {
			f.indent(depth)
		}
		f.buf = append(f.buf, ']')
	case String:
		f.buf = f.appendString(n)
	case Number:
		f.buf = append(f.buf, n.Str...)
	case Bool:
		if n.Bool {
			f.buf = append(f.buf, "true"...)
		} else {
			f.buf = append(f.buf, "false"...)
		}
	default:
		f.buf = append(f.buf, "null"...)
	}
}

// appendString re-encodes a string minimally, unless the decoded value
// holds U+FFFD and the node has source text: the replacement character may
// stand for a lone surrogate escape that re-encoding would change, so the
// text is kept as written.
func (f *formatter) appendString(n *Node) []byte {
	if strings.ContainsRune(n.Str, utf8.RuneError) && n.End > n.Start && n.End <= len(f.src) &&
		f.src[n.Start] == '"' && f.src[n.End-1] == '"' {
		return append(f.buf, f.src[n.Start:n.End]...)
	}
	return appendQuoted(f.buf, n.Str)
}

// appendKey writes a member name like appendString writes a value: a name
// holding U+FFFD keeps its source text, so that "\ud800" and "\ud801"
// stay two names instead of becoming one (issue 9).
func (f *formatter) appendKey(m Member) []byte {
	if strings.ContainsRune(m.Key, utf8.RuneError) && m.KeyEnd > m.KeyStart && m.KeyEnd <= len(f.src) &&
		f.src[m.KeyStart] == '"' && f.src[m.KeyEnd-1] == '"' {
		return append(f.buf, f.src[m.KeyStart:m.KeyEnd]...)
	}
	return appendQuoted(f.buf, m.Key)
}

// appendQuoted appends s as a JSON string, escaping only '"', '\\' and
// control characters (with the short escapes where JSON has them).
func appendQuoted(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// section identifies where an object sits in a manifest, to pick the
// canonical order of its members.
type section uint8

const (
	secOther section = iota
	secRoot
	secAppManifest
	secInstall
	secPage
	secComponents
	secOAuth
	secIframe
	secOAuthInstances
	secIframeInstances
	secOAuthInstance
	secIframeInstance
	secEmbedded
	secPermissions
	secConfiguration
	secConfigSchema
	secConfigProperties
	secConfigProperty
	secSupportLink
)

// canonicalOrder lists the known members of each section in the order of
// Procore's own documentation examples (the 3.x side panel and data
// connection examples, the 4.1 example): 4.1 puts sidepanel before
// fullscreen and the install notes before the page.
var canonicalOrder = map[section][]string{
	secRoot: {"schema_version", "app_manifest", "post_installation_instruction", "components",
		"sidepanel", "fullscreen", "permissions"},
	secAppManifest:    {"id", "name", "version"},
	secInstall:        {"notes", "page"},
	secPage:           {"url", "label"},
	secComponents:     {"oauth", "iframe"},
	secOAuth:          {"instances"},
	secIframe:         {"instances"},
	secOAuthInstance:  {"uid", "uuid", "grant_type", "permissions"},
	secIframeInstance: {"name", "type", "uuid", "views", "required", "iframe_src", "description", "configuration"},
	secEmbedded:       {"uuid", "views", "source_url", "description", "user_configuration"},
	secPermissions:    {"company", "project"},
	secConfiguration:  {"schema"},
	secConfigSchema:   {"type", "required", "properties"},
	secConfigProperty: {"name", "type", "description", "support_link"},
	secSupportLink:    {"url", "label"},
}

// installOrder3 is the order of post_installation_instruction in Procore's
// 3.x examples (the page first).
var installOrder3 = []string{"page", "notes"}

// CanonicalOrder returns the member order FormatWith's Reorder uses for
// the object at the JSON Pointer ptr of a 4.1 manifest (array indexes and
// author-chosen keys match any token), or nil when the object's members
// keep their order. (A 3.x manifest puts the install page before the
// notes, as Procore's 3.x examples do.)
func CanonicalOrder(ptr string) []string {
	tokens, err := SplitPointer(ptr)
	if err != nil {
		return nil
	}
	sec := secRoot
	for _, t := range tokens {
		if sec == secOAuthInstances || sec == secIframeInstances {
			sec = sec.elem()
			continue
		}
		sec = sec.child(t)
	}
	return append([]string(nil), canonicalOrder[sec]...)
}

// child returns the section of member key of an object in section s.
func (s section) child(key string) section {
	switch s {
	case secRoot:
		switch key {
		case "app_manifest":
			return secAppManifest
		case "post_installation_instruction":
			return secInstall
		case "components":
			return secComponents
		case "fullscreen", "sidepanel":
			return secEmbedded
		case "permissions":
			return secPermissions
		}
	case secInstall:
		if key == "page" {
			return secPage
		}
	case secComponents:
		switch key {
		case "oauth":
			return secOAuth
		case "iframe":
			return secIframe
		}
	case secOAuth:
		if key == "instances" {
			return secOAuthInstances
		}
	case secIframe:
		if key == "instances" {
			return secIframeInstances
		}
	case secOAuthInstance:
		if key == "permissions" {
			return secPermissions
		}
	case secIframeInstance:
		if key == "configuration" {
			return secConfiguration
		}
	case secEmbedded:
		if key == "user_configuration" {
			return secConfiguration
		}
	case secConfiguration:
		if key == "schema" {
			return secConfigSchema
		}
	case secConfigSchema:
		if key == "properties" {
			return secConfigProperties
		}
	case secConfigProperties:
		return secConfigProperty
	case secConfigProperty:
		if key == "support_link" {
			return secSupportLink
		}
	}
	return secOther
}

// elem returns the section of the elements of an array in section s.
func (s section) elem() section {
	switch s {
	case secOAuthInstances:
		return secOAuthInstance
	case secIframeInstances:
		return secIframeInstance
	}
	return secOther
}

// orderMembers returns the members in canonical order: known members by
// their rank, then unknown ones in their original order. The sort is
// stable, so duplicate keys keep their relative order.
func (f *formatter) orderMembers(members []Member, sec section) []Member {
	order := canonicalOrder[sec]
	if sec == secInstall && f.v3 {
		order = installOrder3
	}
	if len(order) == 0 {
		return members
	}
	rank := func(key string) int {
		for i, k := range order {
			if k == key {
				return i
			}
		}
		return len(order)
	}
	out := append([]Member(nil), members...)
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i].Key) < rank(out[j].Key) })
	return out
}

// FormatSource formats the source of one input as `manifestctl fmt` does.
// Only App Manifests are formatted: a file found by a directory walk
// (walked) that is not one is skipped (skip is true), unless it does not
// parse and its text looks like a manifest (LooksLikeAppManifest); a named
// file that parses but is not one is an MC008 finding. A file that cannot
// be formatted returns its error findings. out is nil when the input is
// not formatted.
func FormatSource(name string, src []byte, walked bool, opts FormatOptions) (out []byte, findings []Diagnostic, skip bool) {
	doc, diags := Parse(name, src, ParseOptions{})
	isManifest := IsAppManifest(doc.Root)
	if walked && !isManifest && (doc.Root != nil || !LooksLikeAppManifest(src)) {
		return nil, nil, true
	}
	if doc.Root != nil && !isManifest {
		return nil, []Diagnostic{NotAppManifest(doc)}, false
	}
	out, err := FormatWith(doc, opts)
	if err != nil {
		for _, d := range diags {
			if d.Severity == SeverityError {
				findings = append(findings, d)
			}
		}
		return nil, findings, false
	}
	return out, nil, false
}
