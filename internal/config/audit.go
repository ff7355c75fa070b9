package config

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/manifestctl/manifestctl/manifest"
)

// Audit is the "audit" section of a configuration file.
type Audit struct {
	// Ignore are the audit's suppressions, in file order.
	Ignore []*AuditIgnore
}

// AuditIgnore suppresses the audit rows of one verdict and tool,
// optionally only in one company and project:
//
//	{"verdict": "over", "tool": "directory", "company": 10, "project": 77,
//	 "reason": "...", "expires": "2027-01-31"}
type AuditIgnore struct {
	Verdict string
	// Tool is the tool key as the audit report names it; "" only for the
	// unpermitted verdict, which has no tool.
	Tool string
	// Company and Project narrow the suppression when not nil.
	Company, Project *int64
	// Reason is required.
	Reason string
	// Expires is the last day the suppression applies (UTC); zero means
	// never.
	Expires time.Time
	// Index is the entry's position in "audit.ignore"; Pointer its JSON
	// Pointer and Pos its position in the file.
	Index   int
	Pointer string
	Pos     manifest.Position
}

// AuditVerdicts are the verdicts an audit ignore may name (DESIGN.md
// section 4).
var AuditVerdicts = []string{"ok", "over", "undeclared", "under", "inactive", "unpermitted"}

var auditKeys = []string{"ignore"}
var auditIgnoreKeys = []string{"verdict", "tool", "company", "project", "reason", "expires"}

func (p *parser) audit(c *Config, ptr string, n *manifest.Node) {
	if !n.IsObject() {
		p.errorf(ptr, "\"audit\" must be an object, e.g. {\"ignore\": [...]}")
		return
	}
	for _, m := range n.Members {
		mptr := manifest.AppendPointer(ptr, m.Key)
		switch m.Key {
		case "ignore":
			p.auditIgnores(c, mptr, m.Value)
		default:
			p.keyErrorf(mptr, "unknown key %q in \"audit\" (want %s)", m.Key, strings.Join(auditKeys, ", "))
		}
	}
}

func (p *parser) auditIgnores(c *Config, ptr string, n *manifest.Node) {
	if !n.IsArray() {
		p.errorf(ptr, "\"audit.ignore\" must be an array of {\"verdict\", \"tool\", \"reason\", ...} objects")
		return
	}
	for i, e := range n.Elems {
		eptr := manifest.AppendIndex(ptr, i)
		if !e.IsObject() {
			p.errorf(eptr, "an audit ignore must be an object with \"verdict\", \"tool\" and \"reason\"")
			continue
		}
		ig := &AuditIgnore{Index: i, Pointer: eptr, Pos: p.doc.Position(eptr)}
		ok := true
		for _, m := range e.Members {
			mptr := manifest.AppendPointer(eptr, m.Key)
			switch m.Key {
			case "verdict", "tool", "reason", "expires":
				if !m.Value.IsString() {
					p.errorf(mptr, "%q of an audit ignore must be a string", m.Key)
					ok = false
					continue
				}
			case "company", "project":
				id, err := strconv.ParseInt(m.Value.Str, 10, 64)
				if m.Value.Kind != manifest.Number || err != nil || id <= 0 {
					p.errorf(mptr, "%q of an audit ignore must be a positive integer id", m.Key)
					ok = false
					continue
				}
				if m.Key == "company" {
					ig.Company = &id
				} else {
					ig.Project = &id
				}
				continue
			default:
				p.keyErrorf(mptr, "unknown key %q in an audit ignore (want %s)", m.Key, strings.Join(auditIgnoreKeys, ", "))
				ok = false
				continue
			}
			v := m.Value.Str
			switch m.Key {
			case "verdict":
				if !slices.Contains(AuditVerdicts, v) {
					p.errorf(mptr, "verdict %q is not one of %s", v, strings.Join(AuditVerdicts, ", "))
					ok = false
				}
				ig.Verdict = v
			case "tool":
				ig.Tool = strings.TrimSpace(v)
			case "reason":
				ig.Reason = strings.TrimSpace(v)
			case "expires":
				d, err := time.Parse(time.DateOnly, v)
				if err != nil {
					p.errorf(mptr, "expires %q is not a date (YYYY-MM-DD)", v)
					ok = false
				}
				ig.Expires = d
			}
		}
		if !e.Has("verdict") {
			p.errorf(eptr, "audit ignore %d has no \"verdict\": name the verdict it suppresses", i)
			ok = false
		}
		if ig.Tool == "" && ig.Verdict != "unpermitted" && e.Has("verdict") {
			p.errorf(eptr, "audit ignore %d has no \"tool\": name the tool whose rows it suppresses", i)
			ok = false
		}
		if ig.Verdict == "unpermitted" && ig.Project == nil {
			p.errorf(eptr, "audit ignore %d of an unpermitted project has no \"project\"", i)
			ok = false
		}
		if ig.Reason == "" {
			p.errorf(eptr, "audit ignore %d has no \"reason\": say why the difference is accepted", i)
			ok = false
		}
		if ok {
			c.Audit.Ignore = append(c.Audit.Ignore, ig)
		}
	}
}
