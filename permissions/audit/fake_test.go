package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/manifestctl/manifestctl/manifest"
)

// remoteErr is a failed call as the REST client reports one.
type remoteErr struct {
	status    int
	requestID string
	msg       string
}

func (e *remoteErr) Error() string {
	return fmt.Sprintf("GET: %d: %s", e.status, e.msg)
}
func (e *remoteErr) HTTPStatus() int          { return e.status }
func (e *remoteErr) ProcoreRequestID() string { return e.requestID }
func (e *remoteErr) ProcoreMessage() string   { return e.msg }

// fakeCompany is one company of the fake API.
type fakeCompany struct {
	name         string
	perms        []ToolPermission
	permsErr     error
	projects     []Project // active and inactive
	projectsErr  error
	projectPerms map[int64][]ToolPermission
	projectErrs  map[int64]error
	installs     []Installation
	installsErr  error
}

// fakeAPI is an in-memory Procore. It records every call, and the most
// calls in flight at once (per company and overall).
type fakeAPI struct {
	companies    map[int64]*fakeCompany
	companiesErr error

	mu         sync.Mutex
	calls      []string
	inflight   map[int64]int
	maxPer     map[int64]int
	all, max   int
	onCall     func(call string) // called with the lock held, after recording
	gate       *gate             // project permission calls wait on it
	companyHdr []int64
}

func (f *fakeAPI) enter(company int64, call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.inflight == nil {
		f.inflight, f.maxPer = map[int64]int{}, map[int64]int{}
	}
	f.calls = append(f.calls, call)
	f.inflight[company]++
	f.maxPer[company] = max(f.maxPer[company], f.inflight[company])
	f.all++
	f.max = max(f.max, f.all)
	if f.onCall != nil {
		f.onCall(call)
	}
}

func (f *fakeAPI) leave(company int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inflight[company]--
	f.all--
}

func (f *fakeAPI) callList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := append([]string(nil), f.calls...)
	sort.Strings(out)
	return out
}

func (f *fakeAPI) company(id int64) (*fakeCompany, error) {
	c, ok := f.companies[id]
	if !ok {
		return nil, &remoteErr{status: 403, requestID: "req-403", msg: "App is not connected to this company."}
	}
	return c, nil
}

func (f *fakeAPI) Companies(ctx context.Context, header int64) ([]Company, error) {
	f.enter(0, "companies")
	defer f.leave(0)
	f.mu.Lock()
	f.companyHdr = append(f.companyHdr, header)
	f.mu.Unlock()
	if f.companiesErr != nil {
		return nil, f.companiesErr
	}
	var out []Company
	for id, c := range f.companies {
		out = append(out, Company{ID: id, Name: c.name})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID > out[j].ID }) // any order
	return out, nil
}

func (f *fakeAPI) CompanyPermissions(ctx context.Context, id int64) ([]ToolPermission, error) {
	f.enter(id, fmt.Sprintf("company_permissions %d", id))
	defer f.leave(id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := f.company(id)
	if err != nil {
		return nil, err
	}
	return c.perms, c.permsErr
}

func (f *fakeAPI) Projects(ctx context.Context, id int64, inactive bool) ([]Project, error) {
	f.enter(id, fmt.Sprintf("projects %d inactive=%v", id, inactive))
	defer f.leave(id)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := f.company(id)
	if err != nil {
		return nil, err
	}
	if c.projectsErr != nil {
		return nil, c.projectsErr
	}
	var out []Project
	for _, p := range c.projects {
		if inactive || p.Active == nil || *p.Active {
			out = append(out, p)
		}
	}
	return out, nil
}

func (f *fakeAPI) ProjectPermissions(ctx context.Context, id, pid int64) ([]ToolPermission, error) {
	f.enter(id, fmt.Sprintf("project_permissions %d %d", id, pid))
	defer f.leave(id)
	if f.gate != nil {
		f.gate.wait()
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c, err := f.company(id)
	if err != nil {
		return nil, err
	}
	if err := c.projectErrs[pid]; err != nil {
		return nil, err
	}
	return c.projectPerms[pid], nil
}

func (f *fakeAPI) AppInstallations(ctx context.Context, id int64) ([]Installation, error) {
	f.enter(id, fmt.Sprintf("app_installations %d", id))
	defer f.leave(id)
	c, err := f.company(id)
	if err != nil {
		return nil, err
	}
	return c.installs, c.installsErr
}

// gate holds each call until n calls wait at once (or every call expected
// has arrived), then lets that batch go: the calls overlap as much as the
// engine allows, without sleeping.
type gate struct {
	mu               sync.Mutex
	cond             *sync.Cond
	n, total         int
	waiting, arrived int
	batch            int
}

func newGate(n, total int) *gate {
	g := &gate{n: n, total: total}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *gate) wait() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.arrived++
	g.waiting++
	my := g.batch
	if g.waiting >= g.n || g.arrived == g.total {
		g.waiting = 0
		g.batch++
		g.cond.Broadcast()
		return
	}
	for g.batch == my {
		g.cond.Wait()
	}
}

// Helpers to build answers.

func tool(name string, level int) ToolPermission {
	return ToolPermission{Name: name, LevelID: level}
}

func unavailableTool(name string, level int) ToolPermission {
	f := false
	return ToolPermission{Name: name, LevelID: level, AvailableForUser: &f}
}

func project(id int64, active bool) Project {
	return Project{ID: id, Name: fmt.Sprintf("Project %d", id), Active: &active, CompanyName: "Acme"}
}

// loadApp reads a manifest from testdata/examples.
func loadApp(t *testing.T, name string) *manifest.App {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "examples", name)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return parseApp(t, "app/"+name, src)
}

func parseApp(t *testing.T, name string, src []byte) *manifest.App {
	t.Helper()
	doc, diags := manifest.Parse(name, src, manifest.ParseOptions{})
	if doc.Root == nil {
		t.Fatalf("parse %s: %v", name, diags)
	}
	v, d := manifest.DetectSchemaVersion(doc)
	if v == "" {
		t.Fatalf("schema version of %s: %v", name, d)
	}
	return manifest.View(doc, v)
}
