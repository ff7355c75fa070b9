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

// precommitHook is the part of a .pre-commit-hooks.yaml entry the test
// needs.
type precommitHook struct {
	id, entry, language, files, passFilenames string
}

// readHooks reads the hook list of .pre-commit-hooks.yaml: a YAML list of
// flat mappings with scalar values, which is all the file uses (no YAML
// library is a dependency of this module).
func readHooks(t *testing.T, path string) map[string]precommitHook {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	hooks := make(map[string]precommitHook)
	var cur *precommitHook
	flush := func() {
		if cur != nil {
			hooks[cur.id] = *cur
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "#") || strings.TrimSpace(line) == "" {
			continue
		}
		if strings.HasPrefix(line, "- ") {
			flush()
			cur = &precommitHook{}
			line = "  " + line[2:]
		}
		if cur == nil || !strings.HasPrefix(line, "  ") {
			t.Fatalf("%s: unexpected line %q", path, line)
		}
		key, value, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			t.Fatalf("%s: unexpected line %q", path, line)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && value[0] == '\'' && value[len(value)-1] == '\'' {
			value = strings.ReplaceAll(value[1:len(value)-1], "''", "'")
		}
		switch key {
		case "id":
			cur.id = value
		case "entry":
			cur.entry = value
		case "language":
			cur.language = value
		case "files":
			cur.files = value
		case "pass_filenames":
			cur.passFilenames = value
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	flush()
	return hooks
}

func TestPrecommitFilesPattern(t *testing.T) {
	hook, ok := readHooks(t, "../../.pre-commit-hooks.yaml")["manifestctl-validate"]
	if !ok {
		t.Fatal("no hook manifestctl-validate in .pre-commit-hooks.yaml")
	}
	if hook.language != "golang" || hook.entry != "manifestctl validate" || hook.passFilenames != "true" {
		t.Errorf("hook = %+v, want language golang, entry \"manifestctl validate\", pass_filenames true", hook)
	}
	re := regexp.MustCompile(hook.files)
	tests := []struct {
		path string
		want bool
	}{
		{"app_manifest.json", true},
		{"deploy/app-manifest-v2.json", true},
		{"apps/a/app_manifest.prod.json", true},
		{"procore-manifest.json", true},
		{"apps/timesheets/procore_app_manifest.json", true},
		{"manifest.procore.json", true},
		{"procore/manifest.json", true},
		{"integrations/procore-app/manifest.prod.json", true},
		{"procore/sub/manifest.json", true},
		// A plain manifest.json is a web app's or a browser extension's as
		// often as Procore's: not matched (manifestctl-validate-all finds
		// those by content).
		{"manifest.json", false},
		{"app/manifest.json", false},
		{"public/manifest.json", false},
		{"extension/manifest.json", false},
		{"apps/a/manifest.prod.json", false},
		{"procore-tools.json", false},
		{"package.json", false},
		{"mymanifest.json", false},
		{"manifest.json.bak", false},
		{"manifests/other.json", false},
		{"manifest.yaml", false},
	}
	for _, tt := range tests {
		if got := re.MatchString(tt.path); got != tt.want {
			t.Errorf("files pattern %q on %q = %v, want %v", hook.files, tt.path, got, tt.want)
		}
	}
}

// TestPrecommitHook does what pre-commit does for the hook, without
// pre-commit: in a new git repository, it stages files, picks the staged
// ones the files pattern matches, and runs the entry on them with the
// built binary, checking the exit code.
func TestPrecommitHook(t *testing.T) {
	gitTool, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	hook := readHooks(t, "../../.pre-commit-hooks.yaml")["manifestctl-validate"]
	bin := buildManifestctl(t)
	repo := t.TempDir()
	env := append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"HOME="+repo, "GIT_CONFIG_NOSYSTEM=1", "NO_COLOR=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(gitTool, args...)
		cmd.Dir, cmd.Env = repo, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return string(out)
	}
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(repo, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// runWith runs a hook's entry on the staged files that match (or
	// without them when it does not pass file names), as pre-commit
	// would, and returns the exit code, the files and the output.
	runWith := func(hook precommitHook, extraArgs ...string) (int, []string, string) {
		t.Helper()
		files := regexp.MustCompile(hook.files)
		var staged []string
		for _, f := range strings.Fields(git("diff", "--cached", "--name-only", "--diff-filter=ACMR")) {
			if files.MatchString(f) {
				staged = append(staged, f)
			}
		}
		if len(staged) == 0 {
			return 0, nil, "" // pre-commit skips a hook with no files
		}
		words := strings.Fields(hook.entry)
		args := append(append([]string(nil), words[1:]...), extraArgs...)
		if hook.passFilenames == "true" {
			args = append(args, staged...)
		}
		cmd := exec.Command(words[0], args...)
		cmd.Dir, cmd.Env = repo, env
		// Resolve the entry on the test's PATH, as a shell would.
		path, err := lookPathIn(words[0], bin)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Path = path
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0, staged, string(out)
		case errors.As(err, &ee):
			return ee.ExitCode(), staged, string(out)
		}
		t.Fatalf("run %s: %v", hook.entry, err)
		return 0, nil, ""
	}

	runHook := func(extraArgs ...string) (int, []string, string) {
		t.Helper()
		return runWith(hook, extraArgs...)
	}

	git("init", "-q")
	write("package.json", `{"name": "not a manifest", "version": 1}`)
	write("public/manifest.json", webAppManifest)
	write("extension/manifest.json", extensionManifest)
	write("apps/good/procore/manifest.json", goodManifest)
	write("apps/bad/app-manifest.json", strings.Replace(goodManifest, `"https://example.com/app`, `"http://example.com/app`, 1))
	git("add", ".")

	code, staged, out := runHook()
	if want := []string{"apps/bad/app-manifest.json", "apps/good/procore/manifest.json"}; strings.Join(staged, " ") != strings.Join(want, " ") {
		t.Errorf("hook files = %v, want %v (package.json, the web app and extension manifests are not App Manifests)", staged, want)
	}
	if code != 1 || !strings.Contains(out, "apps/bad/app-manifest.json:10:19: error: URL must use https") {
		t.Errorf("hook on a bad manifest: exit %d, output:\n%s\nwant exit 1 and the finding", code, out)
	}
	if strings.Contains(out, "package.json") {
		t.Errorf("hook validated package.json:\n%s", out)
	}

	// Fixed and committed: nothing staged, nothing run. A warning alone
	// passes, and fails with --strict in the hook's args.
	write("apps/bad/app-manifest.json", goodManifest)
	git("add", ".")
	if code, _, out := runHook(); code != 0 {
		t.Errorf("hook on fixed manifests: exit %d\n%s", code, out)
	}
	git("commit", "-q", "-m", "manifests")
	if code, staged, _ := runHook(); code != 0 || staged != nil {
		t.Errorf("nothing staged: exit %d, files %v; want the hook skipped", code, staged)
	}
	write("apps/good/procore/manifest.json", strings.Replace(goodManifest, `"Open the app from the project tools menu and connect your account."`, `""`, 1))
	git("add", "apps/good/procore/manifest.json")
	code, staged, out = runHook()
	if code != 0 || len(staged) != 1 || !strings.Contains(out, "warning:") {
		t.Errorf("hook on a manifest with a warning: exit %d, files %v, output:\n%s\nwant exit 0, one file, a warning", code, staged, out)
	}
	if code, _, _ := runHook("--strict"); code != 1 {
		t.Errorf("hook with args [--strict] on a warning: exit %d, want 1", code)
	}

	// A configuration at the repository root applies to staged manifests.
	write(".manifestctl.json", `{"rules": {"MC301": "off"}}`)
	if code, _, out := runHook("--strict"); code != 0 {
		t.Errorf("hook with a configuration turning MC301 off: exit %d\n%s", code, out)
	}

	// manifestctl-validate-all walks the repository: App Manifests are
	// found by content whatever their names, other JSON files skipped.
	all, ok := readHooks(t, "../../.pre-commit-hooks.yaml")["manifestctl-validate-all"]
	if !ok || all.passFilenames != "false" || all.language != "golang" {
		t.Fatalf("hook manifestctl-validate-all = %+v, want golang, pass_filenames false", all)
	}
	write("apps/plain/manifest.json", strings.Replace(goodManifest, `"https://example.com/app`, `"http://example.com/app`, 1))
	write("public/manifest.json", webAppManifest+" ")
	git("add", ".")
	code, _, out = runWith(all)
	if code != 1 || !strings.Contains(out, "apps/plain/manifest.json:10:19: error: URL must use https") ||
		strings.Contains(out, "public/") || strings.Contains(out, "extension/") || !strings.Contains(out, "skipped (not App Manifests)") {
		t.Errorf("validate-all hook: exit %d, output:\n%s\nwant exit 1, the plain manifest.json's finding, the others skipped", code, out)
	}
}

const webAppManifest = `{"name": "Timesheets", "short_name": "TS", "start_url": "/", "display": "standalone", "icons": [{"src": "/i.png", "sizes": "192x192"}]}`

const extensionManifest = `{"manifest_version": 3, "name": "Procore helper", "version": "1.0", "permissions": ["storage"]}`

// lookPathIn finds name in dir first, then on PATH.
func lookPathIn(name, dir string) (string, error) {
	if p := filepath.Join(dir, name); fileExists(p) {
		return p, nil
	}
	return exec.LookPath(name)
}

func fileExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && !info.IsDir()
}

// goodManifest passes every rule.
const goodManifest = `{
  "schema_version": "4.1",
  "app_manifest": {"version": "1.0.0"},
  "post_installation_instruction": {
    "notes": "Open the app from the project tools menu and connect your account.",
    "page": {"url": "https://example.com/setup", "label": "Setup guide"}
  },
  "fullscreen": {
    "uuid": "9a4c7942-6361-4da8-945c-8051339b886c",
    "source_url": "https://example.com/app?company={{procore.company.id}}",
    "description": "Dashboard"
  }
}
`
