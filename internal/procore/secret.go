package procore

import (
	"fmt"
	"log/slog"
)

// redacted is what a Secret shows in every formatting path.
const redacted = "[REDACTED]"

// Secret holds a credential (a client secret, an access or refresh token).
// Every way of printing it — fmt verbs, JSON, text marshalling, slog —
// gives "[REDACTED]"; only Reveal returns the value.
//
// One limit: fmt cannot call methods on a struct's unexported fields, so
// printing a struct whose unexported field is a Secret (or holds one,
// like an unexported Options) shows the value. Keep a Secret in an
// exported field, or behind a pointer (printed as an address), as this
// package does.
type Secret string

// Reveal returns the secret's value, for the one place that must send it.
func (s Secret) Reveal() string { return string(s) }

// String returns "[REDACTED]".
func (s Secret) String() string { return redacted }

// GoString returns "[REDACTED]" (the %#v verb).
func (s Secret) GoString() string { return redacted }

// Format writes "[REDACTED]" for every verb and flag, %x and %q included.
func (s Secret) Format(f fmt.State, verb rune) {
	_, _ = f.Write([]byte(redacted))
}

// MarshalJSON returns the JSON string "[REDACTED]".
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText returns "[REDACTED]".
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// LogValue returns "[REDACTED]" for log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s == "" }
