package report

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/manifestctl/manifestctl/manifest"
)

// SARIF 2.1.0 (OASIS), the subset GitHub code scanning reads. The wire
// types are kept apart from the internal ones so that the output changes
// only on purpose.
const (
	sarifVersion = "2.1.0"
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// FingerprintKey names the partial fingerprint manifestctl computes:
	// a hash of the rule, the JSON Pointer and the file, so that code
	// scanning follows an alert when lines move.
	FingerprintKey = "manifestctl/v1"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	ColumnKind  string            `json:"columnKind"`
	Results     []sarifResult     `json:"results"`
	Properties  *sarifRunProp     `json:"properties,omitempty"`
}

// sarifInvocation is present only when some paths could not be read: each
// is a tool execution notification (SARIF 2.1.0 §3.20.21), and the run did
// not complete successfully.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifRunProp struct {
	Ignored int `json:"ignored"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string          `json:"name"`
	Version        string          `json:"version,omitempty"`
	InformationURI string          `json:"informationUri"`
	Rules          []sarifRule     `json:"rules"`
	Properties     *sarifToolProps `json:"properties,omitempty"`
}

type sarifToolProps struct {
	CatalogVersion string `json:"catalogVersion"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	ShortDescription     *sarifMessage      `json:"shortDescription,omitempty"`
	HelpURI              string             `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifMessage      `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          sarifResultProps  `json:"properties"`
}

type sarifResultProps struct {
	Pointer string `json:"pointer"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// sarifFormatter writes SARIF 2.1.0. The run's rules and the paths not
// read come before the results in the document, so it is a Streamer that
// writes at the end: as files come it keeps, for each finding, only the
// fields a result prints (message, pointer, rule, level, region, the file
// as an index into the URIs seen, the fingerprint as 16 bytes), not the
// files, and renders the results when the run ends. The rules are the
// report's, sorted by ID, known before the first file; a rule the report
// does not list that reports a finding is added after them, in the order
// first seen, so that every ruleIndex is known as findings come.
type sarifFormatter struct {
	opts  Options
	rules []Rule
	index map[string]int   // rule ID -> ruleIndex
	seen  map[[16]byte]int // fingerprints of the run, for duplicates
	uris  []string         // the URI of each file with findings
	kept  []sarifKept
	buf   bytes.Buffer
}

// sarifKept is what a result prints of a finding.
type sarifKept struct {
	message, pointer string
	uri              int32 // index into uris
	rule             int32 // ruleIndex
	dup              int32 // earlier findings with the same fingerprint
	severity         manifest.Severity
	region           sarifRegion // StartLine 0: none
	fp               [16]byte
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s manifest.Severity) string {
	switch s {
	case manifest.SeverityError:
		return "error"
	case manifest.SeverityWarning:
		return "warning"
	case manifest.SeverityInfo:
		return "note"
	}
	return "none"
}

func (f *sarifFormatter) Format(w io.Writer, r *Report) error { return stream(f, w, r) }

// StreamStart takes the report's rules (Streamer).
func (f *sarifFormatter) StreamStart(_ *bufio.Writer, r *Report) error {
	f.rules = r.listedRules()
	f.index = make(map[string]int, len(f.rules))
	for i, ru := range f.rules {
		f.index[ru.ID] = i
	}
	f.seen = make(map[[16]byte]int)
	f.uris, f.kept = nil, nil
	return nil
}

// StreamFile keeps what the results of one file's findings print
// (Streamer).
func (f *sarifFormatter) StreamFile(_ *bufio.Writer, file *File) error {
	if len(file.Diagnostics) == 0 {
		return nil
	}
	uri := sarifURI(slashPath(file.Path, f.opts.WorkDir))
	f.uris = append(f.uris, uri)
	for _, d := range file.Diagnostics {
		idx, ok := f.index[d.Rule]
		if !ok {
			idx = len(f.rules)
			f.index[d.Rule] = idx
			f.rules = append(f.rules, catalogRule(d.Rule))
		}
		k := sarifKept{
			// Copies: a finding's strings may share memory with the
			// file's source when the caller kept its document.
			message: strings.Clone(d.Message), pointer: strings.Clone(d.Pos.Pointer),
			uri: int32(len(f.uris) - 1), rule: int32(idx), severity: d.Severity,
			fp: fingerprint(d.Rule, d.Pos.Pointer, uri),
		}
		if reg := sarifRegionOf(d); reg != nil {
			k.region = *reg
		}
		// Two findings of one rule at one place (several schema
		// violations of one value) keep distinct fingerprints by
		// their order, which does not depend on line numbers.
		k.dup = int32(f.seen[k.fp])
		f.seen[k.fp]++
		f.kept = append(f.kept, k)
	}
	return nil
}

// sarifResultIndent is where a result stands in the document: in
// runs[0].results, four levels deep.
const sarifResultIndent = "        "

// StreamEnd writes the document, rendering the results in their place
// (Streamer).
func (f *sarifFormatter) StreamEnd(w *bufio.Writer, r *Report, _ Summary) error {
	driver := sarifDriver{
		Name:           r.Tool.Name,
		Version:        r.Tool.Version,
		InformationURI: ToolURL,
		Rules:          make([]sarifRule, 0, len(f.rules)),
	}
	if driver.Name == "" {
		driver.Name = "manifestctl"
	}
	if r.Tool.CatalogVersion != "" {
		driver.Properties = &sarifToolProps{CatalogVersion: r.Tool.CatalogVersion}
	}
	for _, ru := range f.rules {
		sr := sarifRule{ID: ru.ID, HelpURI: ru.URL, DefaultConfiguration: sarifConfiguration{Level: sarifLevel(ru.Severity)}}
		if ru.Title != "" {
			sr.ShortDescription = &sarifMessage{Text: ru.Title}
		}
		driver.Rules = append(driver.Rules, sr)
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, ColumnKind: "unicodeCodePoints", Results: []sarifResult{}}
	if r.Ignored > 0 {
		run.Properties = &sarifRunProp{Ignored: r.Ignored}
	}
	run.Invocations = sarifNotRead(r.Errors, f.opts.WorkDir)
	var doc bytes.Buffer
	if err := writeJSON(&doc, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}); err != nil {
		return err
	}
	// The empty results array is the one place the results go: the key
	// cannot appear inside a string, where quotes are escaped.
	at := bytes.Index(doc.Bytes(), []byte(sarifEmptyResults))
	if at < 0 {
		return errors.New("sarif: no results array in the document")
	}
	w.Write(doc.Bytes()[:at])
	if len(f.kept) == 0 {
		w.WriteString(sarifEmptyResults)
	} else {
		w.WriteString(`"results": [`)
		for i := range f.kept {
			if i > 0 {
				w.WriteString(",")
			}
			w.WriteString("\n" + sarifResultIndent)
			if err := f.result(w, &f.kept[i]); err != nil {
				return err
			}
			f.kept[i] = sarifKept{} // rendered: its strings can go
		}
		w.WriteString("\n      ]")
	}
	_, err := w.Write(doc.Bytes()[at+len(sarifEmptyResults):])
	f.kept, f.uris, f.seen = nil, nil, nil
	return err
}

// result writes one kept finding as a SARIF result, indented in place.
func (f *sarifFormatter) result(w *bufio.Writer, k *sarifKept) error {
	uri := f.uris[k.uri]
	fp := hex.EncodeToString(k.fp[:])
	if k.dup > 0 {
		fp += ":" + strconv.Itoa(int(k.dup))
	}
	res := sarifResult{
		RuleID:    f.rules[k.rule].ID,
		RuleIndex: int(k.rule),
		Level:     sarifLevel(k.severity),
		Message:   sarifMessage{Text: k.message},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: uri},
		}}},
		PartialFingerprints: map[string]string{FingerprintKey: fp},
		Properties:          sarifResultProps{Pointer: k.pointer},
	}
	if k.region.StartLine > 0 {
		res.Locations[0].PhysicalLocation.Region = &k.region
	}
	f.buf.Reset()
	if err := newJSONEncoder(&f.buf, sarifResultIndent, "  ").Encode(res); err != nil {
		return err
	}
	_, err := w.Write(bytes.TrimSuffix(f.buf.Bytes(), []byte("\n")))
	return err
}

const sarifEmptyResults = `"results": []`

func sarifRegionOf(d manifest.Diagnostic) *sarifRegion {
	if d.Pos.Line <= 0 {
		return nil
	}
	reg := &sarifRegion{StartLine: d.Pos.Line, StartColumn: d.Pos.Col}
	if d.End.Line > 0 && (d.End.Line > d.Pos.Line || (d.End.Line == d.Pos.Line && d.End.Col > d.Pos.Col)) {
		reg.EndLine, reg.EndColumn = d.End.Line, d.End.Col
	}
	return reg
}

// Fingerprint returns the stable identity of a finding for code scanning:
// the hex SHA-256 (first 16 bytes) of rule, pointer and file URI. Line
// numbers are left out on purpose, so that an alert survives edits above
// it.
func Fingerprint(rule, pointer, uri string) string {
	fp := fingerprint(rule, pointer, uri)
	return hex.EncodeToString(fp[:])
}

// fingerprint is Fingerprint's 16 bytes.
func fingerprint(rule, pointer, uri string) [16]byte {
	h := sha256.New()
	io.WriteString(h, rule)
	h.Write([]byte{0})
	io.WriteString(h, pointer)
	h.Write([]byte{0})
	io.WriteString(h, uri)
	var fp [16]byte
	copy(fp[:], h.Sum(nil))
	return fp
}

// sarifURI turns a slash path into a URI reference: relative paths are
// percent-encoded (a space becomes %20), absolute ones become file URIs.
func sarifURI(p string) string {
	if p == "-" {
		return "-" // standard input is "-" in every report (a valid relative reference)
	}
	if filepath.IsAbs(filepath.FromSlash(p)) || (len(p) > 0 && p[0] == '/') {
		u := url.URL{Scheme: "file", Path: p}
		if p[0] != '/' { // a Windows drive path
			u.Path = "/" + p
		}
		return u.String()
	}
	u := url.URL{Path: p}
	return u.String()
}
