package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReorderArgs checks how the command line is rearranged for
// urfave/cli: flags before positionals, --help anywhere, flags before a
// subcommand carried to it, "--" ending flags.
func TestReorderArgs(t *testing.T) {
	app := newApp(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	tests := []struct {
		in, want string
	}{
		{"validate a.json --format json", "validate --format json -- a.json"},
		{"validate --format json a.json", "validate --format json -- a.json"},
		{"validate a.json --strict b.json -f=json", "validate --strict -f=json -- a.json b.json"},
		{"validate a.json --help", "validate --help"},
		{"diff a b -h", "diff --help"},
		{"permissions show m.json --help", "permissions show --help"},
		{"permissions set m.json project:rfi=readonly --dry-run", "permissions set --dry-run -- m.json project:rfi=readonly"},
		{"rules explain MC204 --format json", "rules explain --format json -- MC204"},
		{"rules --format json list", "rules list --format json"},
		{"permissions --tools t.json show m.json", "permissions show --tools t.json -- m.json"},
		{"version check m.json --against old.json", "version check --against old.json -- m.json"},
		{"validate -- --help", "validate -- --help"},
		{"validate a.json --format", "validate --format"},
		{"validate - --format json", "validate --format json -- -"},
		{"--help", "--help"},
		{"unknown a --b", "unknown a --b"},
	}
	for _, tt := range tests {
		got := reorderArgs(app, append([]string{"manifestctl"}, strings.Fields(tt.in)...))
		if diff := cmp.Diff(append([]string{"manifestctl"}, strings.Fields(tt.want)...), got); diff != "" {
			t.Errorf("reorderArgs(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestUsageErrors checks the hint names the whole command and the flag is
// quoted as typed.
func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args      []string
		msg, hint string
	}{
		{[]string{"permissions", "set", "--bogus"}, "flag provided but not defined: --bogus", `run "manifestctl permissions set --help" for usage`},
		{[]string{"permissions", "set", "-bogus"}, "flag provided but not defined: -bogus", `run "manifestctl permissions set --help" for usage`},
		{[]string{"rules", "list", "--format"}, "flag needs an argument: --format", `run "manifestctl rules list --help" for usage`},
		{[]string{"validate", "--jobs=x", "a.json"}, `invalid value "x" for flag --jobs: parse error`, `run "manifestctl validate --help" for usage`},
		{[]string{"--nope"}, "flag provided but not defined: --nope", `run "manifestctl help" for usage`},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"manifestctl"}, tt.args...), strings.NewReader(""), &stdout, &stderr)
		want := "manifestctl: " + tt.msg + "\n" + tt.hint + "\n"
		if code != exitUsage || stderr.String() != want {
			t.Errorf("manifestctl %v: exit %d, stderr %q; want exit 2, %q", tt.args, code, stderr.String(), want)
		}
	}
}
