package main

import (
	"flag"
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the cmp sections of testdata/script/*.txtar with actual output")

// TestMain makes the test binary double as the manifestctl command, so
// scripts run the real program: `exec manifestctl validate bad.json`.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"manifestctl": func() { os.Exit(run(os.Args, os.Stdin, os.Stdout, os.Stderr)) },
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
	})
}
