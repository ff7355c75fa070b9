package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"github.com/manifestctl/manifestctl/internal/procore"
	"github.com/manifestctl/manifestctl/permissions/audit"
)

// procoreAPI adapts the REST client to the audit engine's interface.
type procoreAPI struct{ c *procore.Client }

func (p procoreAPI) Companies(ctx context.Context, header int64) ([]audit.Company, error) {
	list, err := p.c.Companies(ctx, header)
	if err != nil {
		return nil, err
	}
	out := make([]audit.Company, len(list))
	for i, c := range list {
		out[i] = audit.Company{ID: c.ID, Name: c.Name, IsActive: c.IsActive}
	}
	return out, nil
}

func tools(list []procore.ToolPermission) []audit.ToolPermission {
	out := make([]audit.ToolPermission, len(list))
	for i, t := range list {
		out[i] = audit.ToolPermission{Name: t.Name, FriendlyName: t.FriendlyName, LevelID: t.LevelID,
			LevelName: t.LevelName, AvailableForUser: t.AvailableForUser}
	}
	return out
}

func (p procoreAPI) CompanyPermissions(ctx context.Context, companyID int64) ([]audit.ToolPermission, error) {
	list, err := p.c.CompanyPermissions(ctx, companyID)
	if err != nil {
		return nil, err
	}
	return tools(list), nil
}

func (p procoreAPI) Projects(ctx context.Context, companyID int64, includeInactive bool) ([]audit.Project, error) {
	list, err := p.c.Projects(ctx, companyID, includeInactive)
	if err != nil {
		return nil, err
	}
	out := make([]audit.Project, len(list))
	for i, pr := range list {
		out[i] = audit.Project{ID: pr.ID, Name: pr.Name, Active: pr.Active}
		if pr.Company != nil {
			out[i].CompanyName = pr.Company.Name
		}
	}
	return out, nil
}

func (p procoreAPI) ProjectPermissions(ctx context.Context, companyID, projectID int64) ([]audit.ToolPermission, error) {
	list, err := p.c.ProjectPermissions(ctx, companyID, projectID)
	if err != nil {
		return nil, err
	}
	return tools(list), nil
}

func (p procoreAPI) AppInstallations(ctx context.Context, companyID int64) ([]audit.Installation, error) {
	list, err := p.c.AppInstallations(ctx, companyID)
	if err != nil {
		return nil, err
	}
	out := make([]audit.Installation, len(list))
	for i, in := range list {
		out[i] = audit.Installation{ID: in.ID, Version: in.SemanticVersion, Status: in.Status, UpdateAvailable: in.UpdateAvailable}
	}
	return out, nil
}

// limitTransport lets at most n requests be on the network at once. It
// sits below the client's pacing, so a company waiting for its rate-limit
// reset holds no slot: the other companies go on.
type limitTransport struct {
	base http.RoundTripper
	sem  chan struct{}
}

func newLimitTransport(base http.RoundTripper, n int) *limitTransport {
	return &limitTransport{base: base, sem: make(chan struct{}, n)}
}

func (t *limitTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case t.sem <- struct{}{}:
	case <-req.Context().Done():
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, req.Context().Err()
	}
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		<-t.sem
		return nil, err
	}
	// The slot is held until the body is read and closed.
	resp.Body = &releaseBody{ReadCloser: resp.Body, release: func() { <-t.sem }}
	return resp, nil
}

type releaseBody struct {
	io.ReadCloser
	once    sync.Once
	release func()
}

func (b *releaseBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.release)
	return err
}

// auditProgress writes one progress line on standard error when it is a
// terminal: "company 10: 37/250 projects · waiting 4 s for the rate-limit
// reset".
type auditProgress struct {
	w       io.Writer
	enabled bool
	now     func() time.Time

	mu      sync.Mutex
	last    audit.Progress
	waiting map[int64]time.Time // company -> end of its wait
	shown   bool
}

func newAuditProgress(e *env) *auditProgress {
	return &auditProgress{w: e.Stderr, enabled: e.IsTerminal(e.Stderr), now: e.Now, waiting: map[int64]time.Time{}}
}

func (p *auditProgress) progress(pr audit.Progress) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last = pr
	p.draw()
}

func (p *auditProgress) wait(companyID int64, d time.Duration) {
	if !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiting[companyID] = p.now().Add(d)
	if p.last.CompanyID == 0 {
		p.last.CompanyID = companyID
	}
	p.draw()
}

func (p *auditProgress) draw() {
	line := fmt.Sprintf("company %d: %d/%d projects", p.last.CompanyID, p.last.Done, p.last.Total)
	if until, ok := p.waiting[p.last.CompanyID]; ok {
		if left := until.Sub(p.now()); left > 0 {
			line += fmt.Sprintf(" · waiting %d s for the rate-limit reset", int((left+time.Second-1)/time.Second))
		} else {
			delete(p.waiting, p.last.CompanyID)
		}
	}
	if len(line) > 79 {
		line = line[:79]
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.shown = true
}

// done clears the progress line.
func (p *auditProgress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.shown = false
	}
}
