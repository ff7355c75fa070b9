package manifest

import (
	"fmt"
	"strconv"
)

// Severity ranks a Diagnostic. The zero value is SeverityOff, which is never
// reported; use it in configuration to switch a rule off.
type Severity uint8

// Severities, from least to most severe.
const (
	SeverityOff Severity = iota
	SeverityInfo
	SeverityWarning
	SeverityError
)

// String returns the name used in reports: "error", "warning", "info" or
// "off".
func (s Severity) String() string {
	switch s {
	case SeverityInfo:
		return "info"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return "off"
}

// ParseSeverity parses the names String returns.
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return SeverityError, nil
	case "warning", "warn":
		return SeverityWarning, nil
	case "info", "note":
		return SeverityInfo, nil
	case "off", "none":
		return SeverityOff, nil
	}
	return SeverityOff, fmt.Errorf("unknown severity %q (want error, warning, info or off)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Position is a place in a manifest file. Pointer is an RFC 6901 JSON
// Pointer ("" is the whole document); Line and Col are 1-based, 0 when
// unknown. Col counts Unicode characters, not bytes. Offset is the byte
// offset in the file (after any byte-order mark is counted), -1 when
// unknown.
type Position struct {
	File    string
	Pointer string
	Line    int
	Col     int
	Offset  int
}

// String formats the position as file:line:col, else file#pointer, else
// "-".
func (p Position) String() string {
	file := p.File
	if file == "" {
		file = "-"
	}
	if p.Line > 0 {
		return file + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
	}
	if p.Pointer != "" {
		return file + "#" + p.Pointer
	}
	return file
}

// Diagnostic is one finding about a manifest: a rule, a severity, a message
// and where. End, when known, is the end of the offending value (exclusive).
// Fix, when not nil, is a set of edits that repair the problem without
// changing the manifest's meaning.
type Diagnostic struct {
	Rule     string
	Severity Severity
	Message  string
	Pos      Position
	End      Position
	Fix      *Fix
}

// Fix is a meaning-preserving repair: byte edits on the original source.
type Fix struct {
	Description string
	Edits       []Edit
}

// String formats the diagnostic as "file:line:col: severity: message [RULE]".
func (d Diagnostic) String() string {
	return d.Pos.String() + ": " + d.Severity.String() + ": " + d.Message + " [" + d.Rule + "]"
}
