package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// actionStep is one step of action.yml as far as the test needs it.
type actionStep struct {
	name string
	env  map[string]string // variable -> expression, e.g. ${{ inputs.paths }}
	run  string
	uses string
	cond string
}

// readAction reads the inputs and steps of action.yml. The file keeps to
// a plain subset of YAML (two-space indentation, "run: |" blocks), which
// this reader checks as it goes; no YAML library is a dependency.
func readAction(t *testing.T) (inputs map[string]string, steps []*actionStep) {
	t.Helper()
	f, err := os.Open("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	inputs = make(map[string]string)
	var (
		section, input string
		step           *actionStep
		inEnv, inRun   bool
		run            strings.Builder
	)
	indent := func(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if inRun {
			if strings.TrimSpace(line) == "" || indent(line) >= 8 {
				if len(line) >= 8 {
					run.WriteString(line[8:])
				}
				run.WriteString("\n")
				continue
			}
			step.run, inRun = run.String(), false
			run.Reset()
		}
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		switch {
		case indent(line) == 0:
			section, _, _ = strings.Cut(trimmed, ":")
		case section == "inputs" && indent(line) == 2:
			input = strings.TrimSuffix(trimmed, ":")
			inputs[input] = ""
		case section == "inputs" && indent(line) == 4 && strings.HasPrefix(trimmed, "default:"):
			inputs[input] = strings.Trim(strings.TrimSpace(strings.TrimPrefix(trimmed, "default:")), `"`)
		case section == "runs" && strings.HasPrefix(line, "    - name: "):
			step = &actionStep{name: strings.TrimPrefix(line, "    - name: "), env: map[string]string{}}
			steps = append(steps, step)
			inEnv = false
		case step != nil && indent(line) == 6:
			inEnv = trimmed == "env:"
			switch {
			case trimmed == "run: |":
				inRun = true
			case strings.HasPrefix(trimmed, "uses: "):
				step.uses = strings.TrimPrefix(trimmed, "uses: ")
			case strings.HasPrefix(trimmed, "if: "):
				step.cond = strings.TrimPrefix(trimmed, "if: ")
			}
		case step != nil && inEnv && indent(line) == 8:
			k, v, _ := strings.Cut(trimmed, ": ")
			step.env[k] = v
		}
	}
	if inRun {
		step.run = run.String()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return inputs, steps
}

var inputRef = regexp.MustCompile(`\$\{\{ inputs\.([a-z-]+) \}\}`)

func TestActionDefinition(t *testing.T) {
	inputs, steps := readAction(t)
	for _, want := range []string{"paths", "version", "format", "sarif", "strict"} {
		if _, ok := inputs[want]; !ok {
			t.Errorf("action.yml has no input %q", want)
		}
	}
	src, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(src), -1) {
		if _, ok := inputs[m[1]]; !ok {
			t.Errorf("action.yml uses undeclared input %q", m[1])
		}
	}
	for _, s := range steps {
		// Inputs reach scripts through env only, never pasted into the
		// script text (script injection).
		if strings.Contains(s.run, "${{") {
			t.Errorf("step %q interpolates an expression into its script", s.name)
		}
	}
	text := string(src)
	for _, want := range []string{
		"using: composite",
		`go install "github.com/manifestctl/manifestctl/cmd/manifestctl@$ref"`,
		"ACTION_REF: ${{ github.action_ref }}",
		"${ACTION_REF:-main}",
		`(cd "$GITHUB_ACTION_PATH" && GOBIN="$bin" go install ./cmd/manifestctl)`,
		"github/codeql-action/upload-sarif@v3",
		`set -- validate --format "$FORMAT"`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("action.yml lacks %q", want)
		}
	}
}

// TestActionScripts runs the action's validation, SARIF and summary
// scripts with bash and the built binary, as the runner would, on a good
// and a bad manifest.
func TestActionScripts(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	inputs, steps := readAction(t)
	byName := make(map[string]*actionStep)
	for _, s := range steps {
		byName[s.name] = s
	}
	bin := buildManifestctl(t)
	work := t.TempDir()
	if err := os.Mkdir(filepath.Join(work, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	good := strings.Replace(goodManifest, `"notes": "Open`, `"notes": "Open`, 1)
	bad := strings.Replace(goodManifest, `"https://example.com/app`, `"http://example.com/app`, 1)
	warn := strings.Replace(goodManifest, `"Open the app from the project tools menu and connect your account."`, `""`, 1)
	for name, content := range map[string]string{"good/manifest.json": good, "bad/manifest.json": bad, "warn/manifest.json": warn} {
		p := filepath.Join(work, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runStep := func(t *testing.T, step string, with map[string]string) (int, string) {
		t.Helper()
		s := byName[step]
		if s == nil || s.run == "" {
			t.Fatalf("action.yml has no script step %q", step)
		}
		env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "NO_COLOR=1",
			"GITHUB_OUTPUT="+filepath.Join(work, "output"), "GITHUB_STEP_SUMMARY="+filepath.Join(work, "summary.md"))
		for k, expr := range s.env {
			m := inputRef.FindStringSubmatch(expr)
			if m == nil {
				continue
			}
			v, ok := with[m[1]]
			if !ok {
				v = inputs[m[1]]
			}
			env = append(env, k+"="+v)
		}
		// The runner runs shell: bash steps as bash --noprofile --norc -eo pipefail.
		cmd := exec.Command(bash, "--noprofile", "--norc", "-eo", "pipefail", "-c", s.run)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(out)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(out)
	}

	tests := []struct {
		name string
		with map[string]string
		code int
		want string
	}{
		{"good", map[string]string{"paths": "good"}, 0, ""},
		{"bad fails with an annotation", map[string]string{"paths": "good bad/manifest.json"}, 1,
			"::error file=bad/manifest.json,line=10,col=19,title=MC012::URL must use https"},
		{"warning passes", map[string]string{"paths": "warn"}, 0, "::warning file=warn/manifest.json,line=5,col=14,title=MC301::"},
		{"strict fails on a warning", map[string]string{"paths": "warn", "strict": "true"}, 1, "::warning file=warn/manifest.json"},
		{"args", map[string]string{"paths": "warn", "strict": "true", "args": "--rule MC301=off"}, 0, ""},
		{"paths on lines", map[string]string{"paths": "good\nwarn\n"}, 0, "::warning file=warn/manifest.json"},
		{"text format", map[string]string{"paths": "bad", "format": "text"}, 1, "bad/manifest.json:10:19: error:"},
		{"missing path is exit 2", map[string]string{"paths": "nowhere"}, 2, "read nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out := runStep(t, "Validate", tt.with)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("Validate with %v: exit %d, output:\n%s\nwant exit %d and %q", tt.with, code, out, tt.code, tt.want)
			}
		})
	}

	t.Run("sarif", func(t *testing.T) {
		code, out := runStep(t, "Write SARIF", map[string]string{"paths": "bad good", "sarif": "true"})
		if code != 0 {
			t.Fatalf("Write SARIF on findings: exit %d, want 0 (the Validate step fails)\n%s", code, out)
		}
		b, err := os.ReadFile(filepath.Join(work, "manifestctl.sarif"))
		if err != nil || !strings.Contains(string(b), `"ruleId": "MC012"`) {
			t.Errorf("SARIF file: %v\n%s", err, b)
		}
		o, _ := os.ReadFile(filepath.Join(work, "output"))
		if !strings.Contains(string(o), "file=manifestctl.sarif") {
			t.Errorf("GITHUB_OUTPUT = %q, want file=manifestctl.sarif", o)
		}
		if code, _ := runStep(t, "Write SARIF", map[string]string{"paths": "nowhere", "sarif": "true"}); code != 2 {
			t.Errorf("Write SARIF on a missing path: exit %d, want 2", code)
		}
	})

	t.Run("summary", func(t *testing.T) {
		if code, out := runStep(t, "Job summary", map[string]string{"paths": "bad"}); code != 0 {
			t.Fatalf("Job summary: exit %d\n%s", code, out)
		}
		b, _ := os.ReadFile(filepath.Join(work, "summary.md"))
		if !strings.Contains(string(b), "| :x: error | `bad/manifest.json` | 10:19 |") {
			t.Errorf("job summary:\n%s", b)
		}
	})
}
