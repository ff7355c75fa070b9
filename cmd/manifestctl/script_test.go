package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/manifestctl/manifestctl/internal/fsutil"
)

var update = flag.Bool("update", false, "rewrite the cmp sections of testdata/script/*.txtar with actual output")

// TestMain makes the test binary double as the manifestctl command, so
// scripts run the real program: `exec manifestctl validate bad.json`.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"manifestctl": func() {
			installChangeHook()
			os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr))
		},
	})
}

// installChangeHook lets a script play another program that writes a file
// while manifestctl edits it: with MANIFESTCTL_TEST_CHANGE_BEFORE_WRITE
// set (not empty), its value and a newline are appended to the file being written right before the
// write is checked and committed (between the command's read and its
// write, with no timing involved). MANIFESTCTL_TEST_CHANGE_ONLY=NAME limits
// that to the file of that base name.
func installChangeHook() {
	text := os.Getenv("MANIFESTCTL_TEST_CHANGE_BEFORE_WRITE")
	if text == "" {
		return
	}
	only := os.Getenv("MANIFESTCTL_TEST_CHANGE_ONLY") // a base name: change only that file
	fsutil.SetBeforeCommitHook(func(path string) {
		if only != "" && filepath.Base(path) != only {
			return
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			panic(err)
		}
		defer f.Close()
		if _, err := f.WriteString(text + "\n"); err != nil {
			panic(err)
		}
	})
}

// TestScripts runs the end-to-end scripts in testdata/script. The repo's
// testdata folder is available to scripts as $REPO_TESTDATA.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       *update,
		Setup: func(env *testscript.Env) error {
			wd, err := os.Getwd()
			if err != nil {
				return err
			}
			env.Setenv("REPO_TESTDATA", wd+"/../../testdata")
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: scriptCmds,
		// [root]: the tests run as root, who reads and writes any file
		// whatever its mode (a chmod 000 file is then readable, a 0444
		// file writable).
		Condition: func(cond string) (bool, error) {
			if cond == "root" {
				return os.Geteuid() == 0, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
	})
}

// scriptCmds are the commands scripts have beyond testscript's own.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"exits":   cmdExits,
	"bigfile": cmdBigfile,
	"sandbox": cmdSandbox,
	"replace": cmdReplace,
}

// cmdBigfile writes a JSON object of at least SIZE bytes (a number, with
// an optional KiB or MiB suffix) to PATH: {"schema_version": "4.1", "x":
// "xxx..."}, for the size limits.
//
//	bigfile big.json 11MiB
func cmdBigfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: bigfile PATH SIZE")
	}
	num, unit := args[1], 1
	switch {
	case strings.HasSuffix(num, "MiB"):
		num, unit = strings.TrimSuffix(num, "MiB"), 1<<20
	case strings.HasSuffix(num, "KiB"):
		num, unit = strings.TrimSuffix(num, "KiB"), 1<<10
	}
	n, err := strconv.Atoi(num)
	if err != nil {
		ts.Fatalf("bigfile: bad size %q", args[1])
	}
	head := `{"schema_version": "4.1", "x": "`
	body := head + strings.Repeat("x", max(n*unit-len(head)-3, 0)) + "\"}\n"
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(body), 0o644))
}

// cmdReplace rewrites a file of the script's work folder, replacing every
// match of a regular expression, so that what varies from run to run (the
// embedded sandbox's port) can be compared:
//
//	replace out.txt 'http://127\.0\.0\.1:[0-9]+' 'http://127.0.0.1:PORT'
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE REGEXP REPLACEMENT")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	name := ts.MkAbs(args[0])
	data, err := os.ReadFile(name)
	ts.Check(err)
	ts.Check(os.WriteFile(name, re.ReplaceAll(data, []byte(args[2])), 0o644))
}

// cmdExits runs a program like exec and checks its exact exit code:
//
//	exits 2 manifestctl validate missing.json
//
// stdout and stderr are kept for the cmp, stdout and stderr commands that
// follow, as with exec. Use it instead of "! exec", which accepts any
// non-zero exit.
func cmdExits(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("unsupported: ! exits")
	}
	if len(args) < 2 {
		ts.Fatalf("usage: exits CODE PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: bad exit code %q", args[0])
	}
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		got = ee.ExitCode()
	case err != nil:
		ts.Fatalf("exits: %v", err)
	}
	if got != want {
		ts.Fatalf("%s exited %d, want %d", args[1], got, want)
	}
}
