package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/manifestctl/manifestctl/internal/fsutil"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/validate"
)

const concurrentManifest = `{
  "schema_version": "4.1",
  "app_manifest": {"version": "1.4.0"},
  "permissions": {
    "company": {
      "documents": "readonly"
    }
  }
}
`

// concurrentTools are five company tools that allow readonly.
var concurrentTools = []string{"directory", "schedule", "timecard", "timesheets", "inspections"}

type editRun struct {
	code           int
	stdout, stderr string
}

// skipUnderRace skips a test that runs commands concurrently in this
// process when the race detector is on: urfave/cli v2 applies its global
// help flag (cli.HelpFlag) to every app's flag set, a write the detector
// reports inside the library. The file-level concurrency these tests
// check is also covered, race detector included, by internal/fsutil's
// TestReplaceFileConcurrent and TestReplaceFileRace.
func skipUnderRace(t *testing.T) {
	t.Helper()
	if raceDetector {
		t.Skip("urfave/cli v2 shares cli.HelpFlag between apps: concurrent in-process runs race inside the library")
	}
}

// setConcurrently runs one `permissions set FILE company:T=readonly` per
// tool, all at once, in this process.
func setConcurrently(t *testing.T, path string) []editRun {
	t.Helper()
	skipUnderRace(t)
	runs := make([]editRun, len(concurrentTools))
	var wg sync.WaitGroup
	for i, tool := range concurrentTools {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, errOut bytes.Buffer
			code := runEnv(context.Background(), &env{Stdout: &out, Stderr: &errOut},
				[]string{"manifestctl", "permissions", "set", path, "company:" + tool + "=readonly"})
			runs[i] = editRun{code, out.String(), errOut.String()}
		}()
	}
	wg.Wait()
	return runs
}

// checkNoEditLost asserts that every edit either landed (exit 0, "added",
// the tool in the file) or failed with the changed-while-editing error
// (exit 2, the tool not in the file), and returns how many landed.
func checkNoEditLost(t *testing.T, path string, runs []editRun) int {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, diags := manifest.Parse(path, src, manifest.ParseOptions{})
	if doc.Root == nil {
		t.Fatalf("the file no longer parses: %v\n%s", diags, src)
	}
	company := doc.Root.Lookup("/permissions/company")
	if company.Get("documents") == nil {
		t.Errorf("the tool declared before every edit is lost:\n%s", src)
	}
	landed := 0
	for i, r := range runs {
		tool := concurrentTools[i]
		inFile := company.Get(tool) != nil
		switch r.code {
		case exitOK:
			landed++
			if want := path + ": company:" + tool + " added at readonly\n"; r.stdout != want {
				t.Errorf("%s: stdout %q, want %q", tool, r.stdout, want)
			}
			if !inFile {
				t.Errorf("%s: reported as added but lost:\n%s", tool, src)
			}
		case exitUsage:
			if want := "manifestctl: " + path + " changed while editing; nothing written: run the command again\n"; r.stderr != want || r.stdout != "" {
				t.Errorf("%s: exit 2 with stdout %q stderr %q, want stderr %q", tool, r.stdout, r.stderr, want)
			}
			if inFile {
				t.Errorf("%s: reported as not written but is in the file", tool)
			}
		default:
			t.Errorf("%s: exit %d: %s", tool, r.code, r.stderr)
		}
	}
	if landed == 0 {
		t.Errorf("no edit landed")
	}
	if got := len(company.Members) - 1; got != landed {
		t.Errorf("the file has %d new tools, %d edits landed:\n%s", got, landed, src)
	}
	return landed
}

// TestConcurrentPermissionsSet runs five permissions set edits of one file
// at once, as they come: none is lost while reported as done.
func TestConcurrentPermissionsSet(t *testing.T) {
	for round := range 5 {
		path := filepath.Join(t.TempDir(), "m.json")
		if err := os.WriteFile(path, []byte(concurrentManifest), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprint(round), func(t *testing.T) {
			checkNoEditLost(t, path, setConcurrently(t, path))
		})
	}
}

// TestConcurrentPermissionsSetAllRead makes the five edits all read the
// file before any of them writes (the write hook is a barrier): exactly
// one lands and four report the change.
func TestConcurrentPermissionsSetAllRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	if err := os.WriteFile(path, []byte(concurrentManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	var ready sync.WaitGroup
	ready.Add(len(concurrentTools))
	t.Cleanup(fsutil.SetBeforeCommitHook(func(p string) {
		if p == path {
			ready.Done()
			ready.Wait()
		}
	}))
	if landed := checkNoEditLost(t, path, setConcurrently(t, path)); landed != 1 {
		t.Errorf("%d edits landed, want exactly 1", landed)
	}
}

// TestFixFileWriteError: when the write fails, --fix reports no fix as
// made, and the error names the path once.
func TestFixFileWriteError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "gone.json")
	src := []byte(`{"schema_version": "4.1", "permissions": {"project": {"daily_log": "read_only"}}}`)
	opts := &validate.Options{KeepDocument: true}
	r := validate.Bytes(path, src, opts)
	if r.Document == nil {
		t.Fatal("no document kept")
	}
	var out bytes.Buffer
	_, err := fixFile(r, opts, &out) // the file does not exist on disk
	if err == nil {
		t.Fatal("fixing a file that does not exist succeeded")
	}
	if out.Len() != 0 {
		t.Errorf("reported fixes that were not written: %q", out.String())
	}
	if msg := err.Error(); !strings.HasPrefix(msg, "write "+path+": ") || strings.Count(msg, path) != 1 || strings.Count(msg, "write") != 1 {
		t.Errorf("message %q: want one \"write PATH: \" prefix", msg)
	}
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != exitUsage {
		t.Errorf("err = %#v, want exit 2", err)
	}
}

// TestEditsFollowCRLF: every editing command that adds lines to a Windows
// file ends them with CRLF, like the file's own lines (issue 9: 57 of 900
// random edits mixed the two).
func TestEditsFollowCRLF(t *testing.T) {
	const src = "{\r\n  \"schema_version\": \"4.1\",\r\n  \"permissions\": {\r\n    \"project\": {\r\n      \"daily_log\": \"read_only\",\r\n      \"rfi\": \"none\"\r\n    }\r\n  }\r\n}\r\n"
	tests := [][]string{
		{"version", "bump", "FILE", "minor"},                                                        // adds app_manifest
		{"permissions", "set", "FILE", "company:directory=readonly"},                                // adds a scope
		{"permissions", "set", "FILE", "project:submittals=readonly", "company:documents=readonly"}, // adds tools
		{"validate", "--fix", "FILE"},                                                               // fixes a spelling, drops none
	}
	for _, args := range tests {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "m.json")
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			argv := []string{"manifestctl"}
			for _, a := range args {
				if a == "FILE" {
					a = path
				}
				argv = append(argv, a)
			}
			var errOut bytes.Buffer
			code := runEnv(context.Background(), &env{Stderr: &errOut}, argv)
			got, _ := os.ReadFile(path)
			if code != exitOK && code != exitFindings {
				t.Fatalf("exit %d: %s", code, errOut.String())
			}
			if string(got) == src {
				t.Fatalf("nothing was edited: %s", errOut.String())
			}
			if n := bytes.Count(got, []byte("\n")); n != bytes.Count(got, []byte("\r\n")) {
				t.Errorf("mixed line endings after %v:\n%q", args, got)
			}
		})
	}
}

// TestConcurrentBumpAndFix: a version bump and a --fix of one file, both
// read before either writes (the write hook is a barrier): one lands, the
// other says the file changed, and neither reports what it did not write
// (issue 9: bump printed 1.4.0 -> 1.5.0 and the file kept 1.4.0).
func TestConcurrentBumpAndFix(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.json")
	src := strings.Replace(concurrentManifest, `"documents": "readonly"`, `"documents": "read_only"`, 1)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	skipUnderRace(t)
	var ready sync.WaitGroup
	ready.Add(2)
	t.Cleanup(fsutil.SetBeforeCommitHook(func(p string) {
		if p == path {
			ready.Done()
			ready.Wait()
		}
	}))
	cmds := [][]string{
		{"manifestctl", "version", "bump", path, "minor"},
		{"manifestctl", "validate", "--fix", path},
	}
	runs := make([]editRun, len(cmds))
	var wg sync.WaitGroup
	for i, args := range cmds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out, errOut bytes.Buffer
			code := runEnv(context.Background(), &env{Stdout: &out, Stderr: &errOut}, args)
			runs[i] = editRun{code, out.String(), errOut.String()}
		}()
	}
	wg.Wait()
	got, _ := os.ReadFile(path)
	bumped := strings.Contains(string(got), `"version": "1.5.0"`)
	fixed := strings.Contains(string(got), `"documents": "readonly"`)
	changed := "manifestctl: " + path + " changed while editing; nothing written: run the command again\n"
	bump, fix := runs[0], runs[1]
	switch {
	case bump.code == exitOK && fix.code == exitUsage:
		if !bumped || fixed || !strings.Contains(bump.stderr, "1.4.0 -> 1.5.0") || !strings.HasPrefix(fix.stderr, changed) || strings.Contains(fix.stderr, "\nfixed ") {
			t.Errorf("bump landed, fix refused: file %q, bump %+v, fix %+v", got, bump, fix)
		}
	case fix.code == exitOK && bump.code == exitUsage:
		if bumped || !fixed || !strings.Contains(fix.stderr, "fixed ") || bump.stderr != changed || bump.stdout != "" {
			t.Errorf("fix landed, bump refused: file %q, bump %+v, fix %+v", got, bump, fix)
		}
	default:
		t.Errorf("want one edit to land and the other to exit 2: bump %+v, fix %+v, file %q", bump, fix, got)
	}
}
