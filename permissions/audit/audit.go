package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/permissions"
)

// DefaultConcurrency is the number of calls in flight when
// Options.Concurrency is 0.
const DefaultConcurrency = 4

// Options tune Run. The zero value audits nothing (give Companies or
// AllCompanies).
type Options struct {
	// Companies are the companies to audit, in report order.
	Companies []int64
	// AllCompanies also audits every company the app is installed in
	// (one Companies call; the first of Companies is its header).
	AllCompanies bool
	// Projects limits the audit to these projects (default: every
	// permitted one). A project not in any company's listing is not called
	// and gets an unpermitted row.
	Projects []int64
	// ExpectProjects are projects that should be permitted: one not in any
	// company's listing gets an unpermitted row. They cost no call and do
	// not narrow the audit.
	ExpectProjects []int64
	// IncludeInactive also audits inactive projects.
	IncludeInactive bool
	// Installation reads each company's installed app version.
	Installation bool
	// Concurrency bounds the calls in flight for a company (default 4),
	// and the companies audited at once. The caller bounds the HTTP
	// requests across companies below the client, so that a company
	// waiting for its rate-limit reset holds no slot another company
	// could use.
	Concurrency int
	// Catalog names the tools (nil: the embedded catalogue).
	Catalog *permissions.Catalog
	// Baseline is a previous report: rows get New.
	Baseline *Report
	// Ignores are the suppressions (audit.ignore).
	Ignores []Ignore
	// Now is the clock for suppression expiry (nil: time.Now).
	Now func() time.Time
	// Progress, when not nil, is called after each project (from several
	// goroutines, never at once).
	Progress func(Progress)
}

// Progress is how far the audit of a company is.
type Progress struct {
	CompanyID   int64
	Done, Total int
}

// Run audits the service account of app in every company of opts. The
// report is returned also when ctx ends early (with Interrupted set and an
// error per unfinished company); the error is non-nil only when the audit
// could not start (no company, a broken catalogue).
func Run(ctx context.Context, api API, app *manifest.App, opts Options) (*Report, error) {
	if len(opts.Companies) == 0 && !opts.AllCompanies {
		return nil, errors.New("audit: no company to audit (give a company id or all companies)")
	}
	cat := opts.Catalog
	if cat == nil {
		var err error
		if cat, err = permissions.Default(); err != nil {
			return nil, err
		}
	}
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	r := &Report{Findings: []Finding{}, Warnings: []string{}, Errors: []Error{}, Companies: []CompanyResult{}}
	if app != nil && app.Doc != nil {
		r.Manifest = app.Doc.Path
	}
	e := &engine{api: api, opts: opts, cat: cat}
	declared, derr := permissions.Declared(app)
	for _, err := range unjoin(derr) {
		r.Warnings = append(r.Warnings, "manifest: "+err.Error()+" (left out of the audit)")
	}
	e.declared = declared.Canonical(cat)
	if app != nil && app.ServiceAccount() == nil {
		r.Warnings = append(r.Warnings, "the manifest declares no service account permissions: every tool the service account can reach is undeclared")
	}
	if app != nil && app.AppVersion != nil && app.AppVersion.IsString() {
		e.appVersion = app.AppVersion.Str
	}

	// The companies, in order: those given, then the others the listing
	// names, by id.
	ids := dedupe(opts.Companies)
	names := map[int64]string{}
	if opts.AllCompanies {
		var header int64
		if len(ids) > 0 {
			header = ids[0]
		}
		list, err := api.Companies(ctx, header)
		switch {
		case err != nil && ctx.Err() != nil:
			r.Interrupted = true
		case err != nil:
			r.Errors = append(r.Errors, callError("companies", nil, nil, "list the companies the app is installed in", err))
		default:
			var more []int64
			for _, c := range list {
				names[c.ID] = c.Name
				if !slices.Contains(ids, c.ID) {
					more = append(more, c.ID)
				}
			}
			slices.Sort(more)
			ids = append(ids, dedupe(more)...)
			if len(list) == 0 {
				r.Warnings = append(r.Warnings, "the companies listing is empty: the app is installed in no company these credentials reach")
			}
		}
	}

	results := make([]*companyAudit, len(ids))
	g := new(errgroup.Group)
	g.SetLimit(opts.Concurrency)
	for i, id := range ids {
		ca := &companyAudit{id: id}
		if n, ok := names[id]; ok {
			ca.name = &n
		}
		results[i] = ca
		if ctx.Err() != nil {
			ca.interrupted(ctx)
			continue
		}
		g.Go(func() error {
			e.company(ctx, ca)
			return nil
		})
	}
	_ = g.Wait()

	// Merge in company order.
	listed := map[int64]bool{}
	allListed := true
	for _, ca := range results {
		res := CompanyResult{ID: ca.id, Name: ca.name, Projects: ca.audited, Installation: ca.installation}
		r.Companies = append(r.Companies, res)
		r.Findings = append(r.Findings, ca.rows...)
		r.Warnings = append(r.Warnings, ca.warnings...)
		r.Errors = append(r.Errors, ca.errors...)
		if ca.rootCause != nil {
			r.RootCauses = append(r.RootCauses, *ca.rootCause)
		}
		if !ca.listed {
			allListed = false
		}
		for _, p := range ca.projects {
			listed[p] = true
		}
		if ca.stopped == stopInterrupted {
			r.Interrupted = true
		}
	}

	// Projects that should be permitted but are not: only when every
	// company's listing is known (a failed listing might hold them).
	if allListed {
		want := dedupe(append(append([]int64(nil), opts.Projects...), opts.ExpectProjects...))
		slices.Sort(want)
		for _, p := range want {
			if listed[p] {
				continue
			}
			r.Findings = append(r.Findings, Finding{
				ProjectID: ptr(p), Scope: permissions.Project, Verdict: Unpermitted,
				Message: fmt.Sprintf("project %d is not among the permitted projects of any audited company", p),
			})
		}
	}

	r.Warnings = append(r.Warnings, applyIgnores(r, opts.Ignores, opts.Now())...)
	if opts.Baseline != nil {
		markNew(r, opts.Baseline)
	}
	for i := range r.Findings {
		r.Summary.add(r.Findings[i].Verdict)
	}
	r.Summary.Errors = len(r.Errors)
	return r, nil
}

// engine is one audit's shared, read-only state.
type engine struct {
	api        API
	opts       Options
	cat        *permissions.Catalog
	declared   permissions.Set // canonical keys
	appVersion string
	progressMu sync.Mutex
}

// Why a company's audit stopped early.
const (
	stopNone = iota
	stopRemote
	stopInterrupted
)

// companyAudit is the outcome of one company, filled by one goroutine
// (project rows by several, under mu).
type companyAudit struct {
	id           int64
	name         *string
	installation *InstallationResult
	rootCause    *RootCause
	listed       bool    // the project listing was read
	projects     []int64 // the listed projects
	audited      int
	rows         []Finding
	warnings     []string
	errors       []Error

	mu      sync.Mutex
	stopped int
	total   int
}

// interrupted records that ctx ended the company's audit.
func (ca *companyAudit) interrupted(ctx context.Context) {
	if ca.stopped != stopNone {
		return
	}
	ca.stopped = stopInterrupted
	what := "interrupted"
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		what = "the audit's deadline passed"
	}
	msg := fmt.Sprintf("%s before the company's projects were listed", what)
	if ca.listed {
		msg = fmt.Sprintf("%s: %d of %d projects audited", what, ca.audited, ca.total)
	}
	ca.errors = append(ca.errors, Error{CompanyID: ptr(ca.id), Message: msg})
}

// stops reports whether a failed call ends the company's audit: a 401
// (after the client's one retry with a fresh token), a 403 on the
// company's permissions or projects ("App is not connected to this
// company"; a 403 on one project or on the installations is that call's
// own), or a 429 the client gave up on (the reset lies beyond the
// deadline).
func stops(err error, call string) bool {
	re := remote(err)
	if re == nil {
		return false
	}
	switch re.HTTPStatus() {
	case 401, 429:
		return true
	case 403:
		return call == "company_permissions" || call == "projects"
	}
	return false
}

func (e *engine) company(ctx context.Context, ca *companyAudit) {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer func() {
		if ctx.Err() != nil && (!ca.listed || ca.audited < ca.total) {
			ca.interrupted(ctx)
		}
	}()
	// fail records a failed call; it returns true when the company's
	// audit must stop.
	fail := func(call string, projectID *int64, what string, err error) bool {
		if ctx.Err() != nil || cctx.Err() != nil { // interrupted, or stopped by another call's failure
			return true
		}
		ca.errors = append(ca.errors, callError(call, ptr(ca.id), projectID, what, err))
		if stops(err, call) {
			ca.stopped = stopRemote
			cancel()
			return true
		}
		return false
	}

	tools, err := e.api.CompanyPermissions(cctx, ca.id)
	if err != nil {
		if fail("company_permissions", nil, "read the company's tool permissions", err) {
			return
		}
	} else {
		rows, warns := e.compare(permissions.Company, ca.id, nil, tools)
		ca.rows = append(ca.rows, rows...)
		ca.warnings = append(ca.warnings, warns...)
		ca.rootCause = e.rootCause(ca.id, tools)
		if ca.rootCause != nil {
			ca.warnings = append(ca.warnings, ca.rootCause.Message)
		}
	}

	if e.opts.Installation {
		inst, err := e.api.AppInstallations(cctx, ca.id)
		if err != nil {
			if fail("app_installations", nil, "read the app's installation", err) {
				return
			}
		} else if in := pickInstallation(inst); in != nil {
			ca.installation = &InstallationResult{Version: in.Version, Status: in.Status, UpdateAvailable: in.UpdateAvailable}
			if e.appVersion != "" && in.Version != e.appVersion {
				ca.warnings = append(ca.warnings, fmt.Sprintf(
					"company %d runs version %s of the app, the manifest is version %s: its differences may only mean that it has not updated yet",
					ca.id, in.Version, e.appVersion))
			}
		} else {
			ca.warnings = append(ca.warnings, fmt.Sprintf("company %d lists no installation of the app", ca.id))
		}
	}

	projects, err := e.api.Projects(cctx, ca.id, e.opts.IncludeInactive)
	if err != nil {
		fail("projects", nil, "list the permitted projects", err)
		return
	}
	ca.listed = true
	for _, p := range projects {
		if ca.name == nil && p.CompanyName != "" {
			n := p.CompanyName
			ca.name = &n
		}
		ca.projects = append(ca.projects, p.ID)
	}
	var selected []Project
	seen := map[int64]bool{}
	for _, p := range projects {
		if seen[p.ID] || (len(e.opts.Projects) > 0 && !slices.Contains(e.opts.Projects, p.ID)) {
			continue
		}
		seen[p.ID] = true
		selected = append(selected, p)
	}
	sort.Slice(selected, func(i, j int) bool { return selected[i].ID < selected[j].ID })
	ca.total = len(selected)
	e.progress(ca)

	rows := make([][]Finding, len(selected))
	g := new(errgroup.Group)
	g.SetLimit(e.opts.Concurrency)
	for i, p := range selected {
		if cctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if cctx.Err() != nil {
				return nil
			}
			pid := p.ID
			tools, err := e.api.ProjectPermissions(cctx, ca.id, pid)
			ca.mu.Lock()
			defer ca.mu.Unlock()
			if err != nil {
				fail("project_permissions", ptr(pid), fmt.Sprintf("read the tool permissions of project %d", pid), err)
				return nil
			}
			r, w := e.compare(permissions.Project, ca.id, ptr(pid), tools)
			rows[i] = r
			ca.warnings = append(ca.warnings, w...)
			ca.audited++
			e.progress(ca)
			return nil
		})
	}
	_ = g.Wait()
	for _, r := range rows {
		ca.rows = append(ca.rows, r...)
	}
}

func (e *engine) progress(ca *companyAudit) {
	if e.opts.Progress == nil {
		return
	}
	e.progressMu.Lock()
	defer e.progressMu.Unlock()
	e.opts.Progress(Progress{CompanyID: ca.id, Done: ca.audited, Total: ca.total})
}

// pickInstallation returns the installation to report: the first whose
// status is "installed", else the first.
func pickInstallation(list []Installation) *Installation {
	for i := range list {
		if list[i].Status == "installed" {
			return &list[i]
		}
	}
	if len(list) > 0 {
		return &list[0]
	}
	return nil
}

// toolKey names an API tool by its catalogue key, or keeps the API name
// for a tool the catalogue does not know.
func (e *engine) toolKey(scope, apiName string) string {
	if t := e.cat.LookupAPI(scope, apiName); t != nil {
		return t.Key
	}
	if t := e.cat.Lookup(scope, apiName); t != nil && t.APIName == "" {
		return t.Key
	}
	return apiName
}

// rootCause returns the company administrator root cause when the company
// tool admin or directory is at Admin.
func (e *engine) rootCause(companyID int64, tools []ToolPermission) *RootCause {
	for _, key := range []string{"admin", "directory"} {
		for _, t := range tools {
			if e.toolKey(permissions.Company, t.Name) != key || t.AvailableForUser != nil && !*t.AvailableForUser {
				continue
			}
			if l, err := permissions.LevelFromAPIID(t.LevelID); err == nil && l == permissions.Admin {
				return &RootCause{CompanyID: companyID, Tool: key, Message: fmt.Sprintf(
					"company %d: the service account is a company administrator (company tool %s is at admin): "+
						"Procore gives it admin on every tool and lists every project of the company, "+
						"which explains its over rows", companyID, key)}
			}
		}
	}
	return nil
}

// compare compares one scope's answer with the declared tools of that
// scope.
func (e *engine) compare(scope string, companyID int64, projectID *int64, tools []ToolPermission) ([]Finding, []string) {
	var warnings []string
	var actual permissions.Set
	unavailable := map[string]permissions.Level{}
	for _, t := range tools {
		l, err := permissions.LevelFromAPIID(t.LevelID)
		if err != nil {
			warnings = append(warnings, fmt.Sprintf("%s: %s tool %q: %v (left out)", where(companyID, projectID), scope, t.Name, err))
			continue
		}
		key := e.toolKey(scope, t.Name)
		if t.AvailableForUser != nil && !*t.AvailableForUser {
			unavailable[key] = l
			continue
		}
		if prev, ok := actual.Get(scope, key); ok && prev.Level >= l {
			continue
		}
		actual.Put(permissions.Grant{Scope: scope, Tool: key, Level: l})
	}
	declared := permissions.NewSet(e.declared.Scope(scope)...)
	var rows []Finding
	for _, c := range permissions.CompareAccess(declared, actual) {
		f := Finding{CompanyID: ptr(companyID), ProjectID: projectID, Scope: scope, Tool: ptr(c.Tool),
			Verdict: Verdict(c.Verdict), Pointer: c.Pointer}
		if c.HasDeclared {
			f.Declared = ptr(c.Declared.String())
		}
		if c.HasActual {
			f.Actual = ptr(c.Actual.String())
		}
		subject := scope + " tool " + c.Tool
		switch f.Verdict {
		case OK:
			f.Message = fmt.Sprintf("%s is %s, as declared", subject, c.Actual)
		case Over:
			f.Message = fmt.Sprintf("%s is %s, above the declared %s", subject, c.Actual, c.Declared)
		case Under:
			f.Message = fmt.Sprintf("%s is %s, below the declared %s", subject, c.Actual, c.Declared)
		case Undeclared:
			f.Message = fmt.Sprintf("%s is %s, but the manifest does not declare it", subject, c.Actual)
		case Inactive:
			if l, ok := unavailable[c.Tool]; ok {
				f.Reason = ReasonUnavailable
				f.Actual = ptr(l.String())
				f.Message = fmt.Sprintf("%s is declared %s, but it is not available to the service account (available_for_user is false)", subject, c.Declared)
			} else {
				f.Reason = ReasonAbsent
				f.Message = fmt.Sprintf("%s is declared %s, but the %s's permissions do not list it", subject, c.Declared, scope)
			}
		}
		rows = append(rows, f)
	}
	return rows, warnings
}

func where(companyID int64, projectID *int64) string {
	if projectID != nil {
		return fmt.Sprintf("company %d, project %d", companyID, *projectID)
	}
	return fmt.Sprintf("company %d", companyID)
}

// callError describes a failed call.
func callError(call string, companyID, projectID *int64, what string, err error) Error {
	e := Error{CompanyID: companyID, ProjectID: projectID, Call: call, Message: what + ": " + err.Error()}
	if re := remote(err); re != nil {
		if s := re.HTTPStatus(); s != 0 {
			e.Status = ptr(s)
		}
		e.RequestID = re.ProcoreRequestID()
		e.ProcoreMessage = re.ProcoreMessage()
	}
	return e
}

func dedupe(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// unjoin splits an errors.Join.
func unjoin(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// markNew sets New on every row: true when its key or verdict is not in
// the baseline. A scope that errored in either run is never reported as
// changed.
func markNew(r *Report, base *Report) {
	r.Baseline = true
	old := make(map[Key]Verdict, len(base.Findings))
	for i := range base.Findings {
		old[base.Findings[i].Key()] = base.Findings[i].Verdict
	}
	// A scope that errored in either run is never reported as changed. A
	// project's scope is the project: its own errors count, and a
	// company-level error (project_id null: the company's permissions or
	// project listing, installations, an interruption) counts only when
	// that run has no row of the project, that is when the project was
	// not audited there. The company scope is the company's own tools:
	// every company-level error counts.
	type scopeKey struct{ company, project int64 }
	runs := []*Report{base, r}
	errored := make([]map[scopeKey]bool, len(runs))
	audited := make([]map[scopeKey]bool, len(runs))
	for n, run := range runs {
		errored[n], audited[n] = map[scopeKey]bool{}, map[scopeKey]bool{}
		for _, e := range run.Errors {
			if e.CompanyID != nil {
				errored[n][scopeKey{*e.CompanyID, deref(e.ProjectID)}] = true
			}
		}
		for i := range run.Findings {
			if f := &run.Findings[i]; f.CompanyID != nil && f.ProjectID != nil {
				audited[n][scopeKey{*f.CompanyID, *f.ProjectID}] = true
			}
		}
	}
	unsure := func(k Key) bool {
		for n := range runs {
			company := errored[n][scopeKey{k.CompanyID, 0}]
			if k.ProjectID == 0 {
				if company {
					return true
				}
				continue
			}
			if errored[n][scopeKey{k.CompanyID, k.ProjectID}] || (company && !audited[n][scopeKey{k.CompanyID, k.ProjectID}]) {
				return true
			}
		}
		return false
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		k := f.Key()
		isNew := false
		if v, ok := old[k]; !ok || v != f.Verdict {
			isNew = true
		}
		if f.CompanyID != nil && unsure(k) {
			isNew = false
		}
		f.New = ptr(isNew)
	}
}
