package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// runWithCompletion runs the app with the completion command present
// (whether or not commands() lists it yet) and returns the exit code and
// output.
func runWithCompletion(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	app := newApp(strings.NewReader(""), &stdout, &stderr)
	if findCommand(app.Commands, "completion") == nil {
		app.Commands = append(app.Commands, completionCommand())
		setUsageErrors(app.Commands)
	}
	err := app.RunContext(context.Background(), reorderArgs(app, append([]string{"manifestctl"}, args...)))
	return exitCode(err, &stderr), stdout.String(), stderr.String()
}

func TestCompletionScripts(t *testing.T) {
	tests := []struct {
		shell string
		want  []string // substrings of the script
		check []string // syntax check command, run when the shell exists
	}{
		{"bash", []string{"_manifestctl_complete()", "--generate-bash-completion", "complete -o bashdefault -o default -F _manifestctl_complete manifestctl"}, []string{"bash", "-n"}},
		{"zsh", []string{"#compdef manifestctl", "--generate-bash-completion", "compdef _manifestctl manifestctl", "_files"}, []string{"zsh", "-n"}},
		{"fish", []string{"complete -c manifestctl", "validate", "-l format", "__fish_manifestctl_no_subcommand", "complete -c manifestctl -n 'not __fish_manifestctl_no_subcommand' -F"}, []string{"fish", "--no-execute"}},
	}
	for _, tt := range tests {
		t.Run(tt.shell, func(t *testing.T) {
			code, out, errOut := runWithCompletion(t, "completion", tt.shell)
			if code != 0 {
				t.Fatalf("completion %s: exit %d: %s", tt.shell, code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("completion %s script lacks %q", tt.shell, w)
				}
			}
			if strings.Contains(out, "PROG") {
				t.Errorf("completion %s script still has the PROG placeholder", tt.shell)
			}
			if _, err := exec.LookPath(tt.check[0]); err != nil {
				t.Logf("%s not installed: syntax not checked", tt.check[0])
				return
			}
			file := filepath.Join(t.TempDir(), "script")
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			if b, err := exec.Command(tt.check[0], append(tt.check[1:], file)...).CombinedOutput(); err != nil {
				t.Errorf("%s syntax check: %v\n%s", tt.shell, err, b)
			}
		})
	}
}

func TestCompletionUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"completion"}, "completion needs one shell: bash, zsh, fish"},
		{[]string{"completion", "bash", "zsh"}, "completion needs one shell"},
		{[]string{"completion", "powershell"}, `unknown shell "powershell" (want bash, zsh, fish)`},
	}
	for _, tt := range tests {
		code, _, errOut := runWithCompletion(t, tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("manifestctl %v: exit %d, stderr %q; want exit 2 and %q", tt.args, code, errOut, tt.want)
		}
	}
}

// TestBashCompletion loads the bash script into bash, with the real
// binary on PATH, and completes a few command lines as bash would.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	bin := buildManifestctl(t)
	_, script, _ := runWithCompletion(t, "completion", "bash")
	file := filepath.Join(t.TempDir(), "manifestctl.bash")
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		words []string // COMP_WORDS; the last is the word being completed
		want  []string
		not   []string
		files bool // no reply: bash falls back to file names
	}{
		// Path arguments: no reply, so that bash completes file names.
		{"validate files", []string{"manifestctl", "validate", ""}, nil, nil, true},
		{"validate more files", []string{"manifestctl", "validate", "a.json", ""}, nil, nil, true},
		{"permissions set file", []string{"manifestctl", "permissions", "set", ""}, nil, nil, true},
		{"version bump file", []string{"manifestctl", "version", "bump", ""}, nil, nil, true},
		{"against file", []string{"manifestctl", "version", "bump", "m.json", "--against", ""}, nil, nil, true},
		{"diff files", []string{"manifestctl", "diff", "old.json", ""}, nil, nil, true},
		// Values.
		{"scopes", []string{"manifestctl", "permissions", "set", "manifest.json", ""}, []string{"company:", "project:"}, nil, false},
		{"tool keys", []string{"manifestctl", "permissions", "set", "m.json", "project", ":"}, []string{"daily_log", "rfi"}, []string{"project:rfi", "directory:"}, false},
		{"tool keys typed", []string{"manifestctl", "permissions", "set", "m.json", "project", ":", "daily"}, []string{"daily_log"}, []string{"rfi"}, false},
		{"levels", []string{"manifestctl", "permissions", "set", "m.json", "project", ":", "rfi", "="}, []string{"readonly", "standard", "admin"}, nil, false},
		{"unset tool keys", []string{"manifestctl", "permissions", "unset", "m.json", "company", ":"}, []string{"directory"}, nil, false},
		{"bump classes", []string{"manifestctl", "version", "bump", "manifest.json", ""}, []string{"major", "minor", "patch", "auto"}, nil, false},
		{"formats", []string{"manifestctl", "validate", "--format", ""}, []string{"text", "json", "sarif", "github", "junit", "markdown"}, nil, false},
		{"format after a path", []string{"manifestctl", "diff", "a.json", "b.json", "--format", ""}, []string{"text", "json", "markdown"}, []string{"sarif"}, false},
		{"format with =", []string{"manifestctl", "validate", "--format", "=", "js"}, []string{"json"}, []string{"--format=json"}, false},
		{"data connector", []string{"manifestctl", "init", "--data-connector", ""}, []string{"none", "user", "service-account"}, nil, false},
		{"rule IDs", []string{"manifestctl", "rules", "explain", "MC2"}, []string{"MC201", "MC204"}, []string{"MC101"}, false},
		{"rule severity", []string{"manifestctl", "validate", "--rule", "MC207", "=", "o"}, []string{"off"}, nil, false},
		{"shells", []string{"manifestctl", "completion", ""}, []string{"bash", "zsh", "fish"}, nil, false},
		{"flag after a path", []string{"manifestctl", "validate", "a.json", "--fo"}, []string{"--format"}, nil, false},
		{"nested flags", []string{"manifestctl", "permissions", "set", "m.json", "--dr"}, []string{"--dry-run"}, nil, false},
		{"commands", []string{"manifestctl", "va"}, []string{"validate"}, []string{"rules"}, false},
		{"all commands", []string{"manifestctl", ""}, []string{"validate", "rules"}, nil, false},
		{"subcommands", []string{"manifestctl", "rules", ""}, []string{"list", "explain"}, []string{"help", "h"}, false},
		{"flags", []string{"manifestctl", "validate", "--fo"}, []string{"--format"}, []string{"--strict"}, false},
		{"another flag", []string{"manifestctl", "validate", "--st"}, []string{"--strict"}, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			quoted := make([]string, len(tt.words))
			for i, w := range tt.words {
				quoted[i] = "'" + w + "'"
			}
			prog := "source " + file + "\n" +
				"COMP_WORDS=(" + strings.Join(quoted, " ") + ")\n" +
				"COMP_CWORD=" + strconv.Itoa(len(tt.words)-1) + "\n" +
				"_manifestctl_complete\n" +
				`printf '%s\n' "${COMPREPLY[@]}"` + "\n"
			cmd := exec.Command(bash, "--noprofile", "--norc", "-c", prog)
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("bash: %v\n%s", err, out)
			}
			got := strings.Fields(string(out))
			if tt.files && len(got) > 0 {
				t.Errorf("completing %q: got %v, want no reply (file names)", tt.words, got)
			}
			if !tt.files && len(got) == 0 {
				t.Errorf("completing %q: no reply", tt.words)
			}
			for _, w := range tt.want {
				if !completionHas(got, w) {
					t.Errorf("completing %q: got %v, want %q among them", tt.words, got, w)
				}
			}
			for _, w := range tt.not {
				if completionHas(got, w) {
					t.Errorf("completing %q: got %v, did not want %q", tt.words, got, w)
				}
			}
		})
	}
}

func completionHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
