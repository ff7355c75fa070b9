package manifestctl_test

import (
	"os/exec"
	"sort"
	"strings"
	"testing"
)

const module = "github.com/manifestctl/manifestctl"

// allowed is the import policy: for each package, the packages of this
// module it may import. It is a statement of policy, after
// go/build/deps_test.go: change it on purpose, never to make a build pass.
//
// manifest is the leaf; schema, lint, permissions and report build on it;
// lint reads the tool catalogue from permissions (the permission rules
// need it); only cmd/manifestctl brings everything together and owns the
// command line.
var allowed = map[string][]string{
	"":     nil, // this test
	"docs": nil,
	// manifest.Load reads its input through internal/source, the one input
	// layer (size cap, "-", git:REF:PATH, FIFOs refused); internal/source
	// knows nothing of manifests.
	"manifest": {"internal/source"},
	"schema":   {"manifest"},
	// permissions reads --tools catalogues with internal/source's size cap.
	"permissions":   {"manifest", "internal/suggest", "internal/source"},
	"manifest/lint": {"manifest", "permissions", "docs", "internal/suggest"},
	// validate expands paths (directory walks) and reads files with
	// internal/source; it validates them in parallel, in order, with
	// internal/seq.
	"validate": {"manifest", "manifest/lint", "schema", "internal/source", "internal/seq"},
	// release holds the one manifest generator (Builder, Scaffold), which
	// checks its output with validate's pipeline.
	"release":           {"manifest", "manifest/lint", "permissions", "validate"},
	"internal/fsutil":   nil,
	"internal/suggest":  nil,
	"internal/textdiff": nil,
	// internal/seq is the ordered, bounded fan-out (gofmt's sequencer):
	// standard library only, so that any package may use it.
	"internal/seq": nil,
	// internal/config reads configuration files with internal/source's
	// size cap.
	// internal/config merges a configuration into validate.Options (Configure),
	// tool catalogues included.
	"internal/config": {"manifest", "manifest/lint", "internal/source", "validate", "permissions"},
	"internal/report": {"manifest", "manifest/lint", "permissions", "permissions/audit", "permissions/scan", "release", "validate", "internal/access"},
	// internal/source reads inputs: paths, "-", git:REF:PATH, directory
	// walks with DESIGN's skip rules, size caps.
	"internal/source": {"internal/fsutil"},
	// The REST client knows HTTP, OAuth 2.0 and Procore's conventions,
	// nothing about manifests.
	"internal/procore": {"internal/fsutil"},
	// The fake Procore shares no code with the client, so it cannot share
	// the client's misunderstandings.
	"internal/sandbox": nil,
	// The audit engine depends on an interface of its own, not on HTTP.
	"permissions/audit": {"manifest", "permissions"},
	"permissions/scan":  {"manifest", "permissions", "internal/source"},
	// access compare's comparison defines the interface it needs; it
	// imports neither the client nor the sandbox (the command adapts
	// internal/procore to it).
	"internal/access": nil,
	// The endpoint table's generator reads shared/procore's CSV files:
	// standard library only.
	"permissions/scan/internal/gen": nil,
	"cmd/manifestctl":               {"*"},
	"bench/benchjson":               nil, // go test -bench output to hyperfine's JSON (bench/run.sh)
	"bench/execlist":                nil,
	"bench/floor":                   nil,
	"bench/gen":                     nil,
	"bench/memcorpus":               nil, // generates the corpora of bench/memory.sh: stdlib only
	"bench/resultsmd":               nil,
}

// external lists the third-party modules each package may import; the
// command-line library stays in cmd, go-cmp stays in tests.
var external = map[string][]string{
	"manifest":          {"github.com/Masterminds/semver/v3"},
	"manifest/lint":     {"github.com/Masterminds/semver/v3"},
	"release":           {"github.com/Masterminds/semver/v3"},
	"internal/procore":  {"golang.org/x/oauth2", "golang.org/x/oauth2/clientcredentials"},
	"permissions/audit": {"golang.org/x/sync/errgroup"},
	"cmd/manifestctl":   {"*"},
}

func TestImportPolicy(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg := strings.TrimPrefix(strings.TrimPrefix(fields[0], module), "/")
		allow, ok := allowed[pkg]
		if !ok {
			t.Errorf("package %s is not in the import policy (deps_test.go)", pkg)
			continue
		}
		var bad []string
		for _, imp := range fields[1:] {
			switch {
			case strings.HasPrefix(imp, module+"/"):
				dep := strings.TrimPrefix(imp, module+"/")
				if !contains(allow, dep) {
					bad = append(bad, dep)
				}
			case strings.Contains(strings.SplitN(imp, "/", 2)[0], "."):
				if !contains(external[pkg], imp) {
					bad = append(bad, imp)
				}
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s imports %s, which the policy does not allow", pkg, strings.Join(bad, ", "))
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == "*" || x == s {
			return true
		}
	}
	return false
}
