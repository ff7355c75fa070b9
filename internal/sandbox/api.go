package sandbox

import (
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Answers the fake gives, in Procore's words where Procore documents them
// (procore-facts §3, §7c).
const (
	msgNotConnected   = "App is not connected to this company."
	msgMissingHeader  = "Missing Procore-Company-Id header! Each call your application makes to the Procore API must contain a request header that includes the Procore-Company-Id field. This request header field specifies the id of the company into which you are making the call."
	msgNoCompany      = "You do not have access to this company."
	msgNoProject      = "You do not have access to this project."
	msgHeaderMismatch = "The Procore-Company-Id header does not match company_id."
)

// maxPerPage caps per_page (Procore documents no maximum for v1.0
// projects; larger values are clamped).
const maxPerPage = 1000

func badRequest(w http.ResponseWriter, code, msg string) {
	writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func forbidden(w http.ResponseWriter, msg string) {
	writeJSON(w, http.StatusForbidden, map[string]any{"errors": []string{msg}})
}

func notFound(w http.ResponseWriter) {
	writeJSON(w, http.StatusNotFound, map[string]string{"error": "Not Found"})
}

// serveAPI routes a GET on /rest/.
func (s *Server) serveAPI(w http.ResponseWriter, c *call) {
	p := c.r.URL.Path
	switch {
	case p == "/rest/v1.0/me":
		s.serveMe(w, c)
	case p == "/rest/v1.0/companies":
		s.serveCompanies(w, c)
	case p == "/rest/v1.0/projects":
		s.serveProjects(w, c)
	case p == "/rest/v1.0/settings/permissions":
		s.servePermissions(w, c)
	case p == "/rest/v1.0/app_installations":
		s.serveInstallations(w, c)
	case strings.HasPrefix(p, "/rest/v1.0/projects/") && strings.HasSuffix(p, "/tools"):
		s.serveProjectTools(w, c)
	default:
		notFound(w)
	}
}

// company checks the Procore-Company-Id header and the caller's access to
// that company; on failure it has answered and returns nil.
func (s *Server) company(w http.ResponseWriter, c *call) *Company {
	if c.header == "" {
		badRequest(w, "missing_procore_company_id", msgMissingHeader)
		return nil
	}
	id, err := strconv.ParseInt(c.header, 10, 64)
	if err != nil || id <= 0 {
		badRequest(w, "invalid_procore_company_id", "The Procore-Company-Id header is not a company id.")
		return nil
	}
	if q := c.r.URL.Query().Get("company_id"); q != "" && !sameID(q, id) {
		badRequest(w, "procore_company_id_mismatch", msgHeaderMismatch)
		return nil
	}
	co, ok := s.companies[id]
	if !ok || !co.AppInstalled {
		forbidden(w, msgNotConnected)
		return nil
	}
	if !c.isDMSA() && !s.userIn(c.tok.userID, id) {
		forbidden(w, msgNoCompany)
		return nil
	}
	return co
}

// sameID reports whether a query value names id ("010" names 10).
func sameID(v string, id int64) bool {
	n, err := strconv.ParseInt(v, 10, 64)
	return err == nil && n == id
}

func (s *Server) userIn(user, company int64) bool {
	u := s.users[user]
	if u == nil {
		return false
	}
	for _, id := range u.Companies {
		if id == company {
			return true
		}
	}
	return false
}

func (s *Server) userSees(user, project int64) bool {
	u := s.users[user]
	if u == nil {
		return false
	}
	for _, id := range u.Projects {
		if id == project {
			return true
		}
	}
	return false
}

// isCompanyAdmin: the company admin tool, or company directory, at Admin
// makes the DMSA a company administrator: Admin on every tool and every
// project listed.
func isCompanyAdmin(co *Company) bool {
	for _, k := range []string{"admin", "directory"} {
		if g, ok := co.DMSA.Tools[k]; ok && g.Level == "admin" && g.available() {
			return true
		}
	}
	return false
}

// project checks the company and the caller's access to project id; on
// failure it has answered and returns nil.
func (s *Server) project(w http.ResponseWriter, c *call, id int64) (*Company, *Project) {
	co := s.company(w, c)
	if co == nil {
		return nil, nil
	}
	p, ok := s.projects[id]
	if !ok || s.projectCo[id] != co {
		notFound(w)
		return nil, nil
	}
	if c.isDMSA() {
		if !p.Permitted && !isCompanyAdmin(co) {
			forbidden(w, msgNoProject)
			return nil, nil
		}
	} else if !s.userSees(c.tok.userID, id) {
		forbidden(w, msgNoProject)
		return nil, nil
	}
	return co, p
}

func (s *Server) serveMe(w http.ResponseWriter, c *call) {
	if !s.authorized(w, c) {
		return
	}
	if c.isDMSA() {
		// Each company has its own DMSA directory user.
		co := s.company(w, c)
		if co == nil {
			return
		}
		writeJSON(w, http.StatusOK, meJSON{
			ID:    co.DMSA.UserID,
			Login: "dmsa-" + strconv.FormatInt(co.ID, 10) + "@sandbox.invalid",
			Name:  s.sc.App.Name,
		})
		return
	}
	u := s.users[c.tok.userID]
	writeJSON(w, http.StatusOK, meJSON{ID: u.ID, Login: u.Login, Name: u.Name})
}

func (s *Server) serveCompanies(w http.ResponseWriter, c *call) {
	if !s.authorized(w, c) {
		return
	}
	q := c.r.URL.Query()
	free := q.Get("include_free_companies") == "true"
	var list []*Company
	if c.isDMSA() {
		if c.header != "" || s.sc.StrictCompanyHeader {
			if s.company(w, c) == nil {
				return
			}
		}
		for i := range s.sc.Companies {
			if co := &s.sc.Companies[i]; co.AppInstalled {
				list = append(list, co)
			}
		}
	} else {
		for _, id := range s.users[c.tok.userID].Companies {
			list = append(list, s.companies[id])
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	var items []any
	for _, co := range list {
		if co.Free && !free {
			continue
		}
		items = append(items, companyJSON{ID: co.ID, Name: co.Name, IsActive: true})
	}
	s.page(w, c, items)
}

func (s *Server) serveProjects(w http.ResponseWriter, c *call) {
	if !s.authorized(w, c) {
		return
	}
	q := c.r.URL.Query()
	if q.Get("company_id") == "" {
		badRequest(w, "missing_company_id", "company_id is missing")
		return
	}
	co := s.company(w, c)
	if co == nil {
		return
	}
	status := q.Get("filters[by_status]")
	switch strings.ToLower(status) {
	case "", "active", "inactive", "all":
	default:
		badRequest(w, "invalid_filter", "filters[by_status] must be Active, Inactive or All")
		return
	}
	admin := c.isDMSA() && isCompanyAdmin(co)
	list := make([]*Project, len(co.Projects))
	for i := range co.Projects {
		list[i] = &co.Projects[i]
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	var items []any
	for _, p := range list {
		switch {
		case admin:
		case c.isDMSA() && !p.Permitted:
			continue
		case !c.isDMSA() && !s.userSees(c.tok.userID, p.ID):
			continue
		}
		switch strings.ToLower(status) {
		case "", "active":
			if !p.IsActive() {
				continue
			}
		case "inactive":
			if p.IsActive() {
				continue
			}
		}
		items = append(items, projectJSON{
			ID: p.ID, Name: p.Name, DisplayName: p.Name,
			ProjectNumber: strconv.FormatInt(p.ID, 10), Active: p.IsActive(),
			Company: idName{ID: co.ID, Name: co.Name},
		})
	}
	s.page(w, c, items)
}

func (s *Server) servePermissions(w http.ResponseWriter, c *call) {
	if !s.authorized(w, c) {
		return
	}
	q := c.r.URL.Query()
	cid, pid := q.Get("company_id"), q.Get("project_id")
	var (
		grants map[string]Grant
		scope  string
		base   string
		admin  bool
	)
	switch {
	case (cid == "") == (pid == ""):
		badRequest(w, "bad_request", "give exactly one of company_id and project_id")
		return
	case cid != "":
		co := s.company(w, c)
		if co == nil {
			return
		}
		scope, base = "company", "/"+strconv.FormatInt(co.ID, 10)+"/company/"
		if c.isDMSA() {
			grants, admin = co.DMSA.Tools, isCompanyAdmin(co)
		} else {
			grants = s.users[c.tok.userID].CompanyTools
		}
	default:
		id, err := strconv.ParseInt(pid, 10, 64)
		if err != nil {
			badRequest(w, "bad_request", "project_id is not an id")
			return
		}
		co, p := s.project(w, c, id)
		if p == nil {
			return
		}
		scope, base = "project", "/"+pid+"/project/"
		if c.isDMSA() {
			grants, admin = p.DMSATools, isCompanyAdmin(co)
		} else {
			grants = s.users[c.tok.userID].ProjectTools
		}
	}
	correspondence := q.Get("filter_correspondence_types") == "false"
	tools := []permissionToolJSON{}
	for i, name := range sortedKeys(grants) {
		g := grants[name]
		if strings.HasPrefix(name, "generic_tool_") && !correspondence {
			continue
		}
		level := levelID(g.Level)
		if admin {
			level = 4
		}
		tools = append(tools, permissionToolJSON{
			ID:               i + 1,
			Name:             name,
			FriendlyName:     friendlyName(name, scope, g),
			DomainID:         i + 1,
			TabGroup:         "core",
			AvailableForUser: g.available(),
			URL:              base + name,
			UserAccessLevel:  levelJSON{ID: level, Name: levelName(level)},
			PermittedActions: []any{},
			CanCreate:        level >= 3,
		})
	}
	writeJSON(w, http.StatusOK, permissionsJSON{Tools: tools})
}

func (s *Server) serveProjectTools(w http.ResponseWriter, c *call) {
	if !s.authorized(w, c) {
		return
	}
	if c.projectID == 0 || c.r.URL.Path != "/rest/v1.0/projects/"+strconv.FormatInt(c.projectID, 10)+"/tools" {
		notFound(w)
		return
	}
	_, p := s.project(w, c, c.projectID)
	if p == nil {
		return
	}
	tools := []projectToolJSON{}
	for i, name := range sortedKeys(p.DMSATools) {
		g := p.DMSATools[name]
		tools = append(tools, projectToolJSON{
			ID: i + 1, EngineName: name, IsActive: g.available(),
			Position: i + 1, Title: friendlyName(name, "project", g),
		})
	}
	writeJSON(w, http.StatusOK, tools)
}

func (s *Server) serveInstallations(w http.ResponseWriter, c *call) {
	if !s.authorized(w, c) {
		return
	}
	if c.r.URL.Query().Get("company_id") == "" {
		badRequest(w, "missing_company_id", "company_id is missing")
		return
	}
	co := s.company(w, c)
	if co == nil {
		return
	}
	in := co.Installation
	if in == nil {
		in = &Installation{ID: co.ID, SemanticVersion: "1.0.0"}
	}
	out := installationJSON{ID: in.ID, SemanticVersion: in.SemanticVersion, Status: in.Status,
		UpdatableAppVersionID: in.UpdatableAppVersionID}
	if out.Status == "" {
		out.Status = "installed"
	}
	out.DeveloperApp.UID = s.sc.App.UID
	if v := s.sc.App.PublishedAppVersionID; v != 0 {
		out.DeveloperApp.PublishedAppVersionID = &v
	}
	writeJSON(w, http.StatusOK, []installationJSON{out})
}

// page writes one page of items with Procore's Total, Per-Page and Link
// headers. Link has first and prev (prev left out when it is the first
// page, as in Procore's page-2 example), next and last (both left out on
// the last page).
func (s *Server) page(w http.ResponseWriter, c *call, items []any) {
	q := c.r.URL.Query()
	per, pg := 100, 1
	for name, dst := range map[string]*int{"per_page": &per, "page": &pg} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 {
				badRequest(w, "bad_request", name+" must be a positive integer")
				return
			}
			*dst = n
		}
	}
	per = min(per, maxPerPage)
	total := len(items)
	last := max(1, (total+per-1)/per)
	lo := min((pg-1)*per, total)
	hi := min(lo+per, total)
	h := w.Header()
	h.Set("Total", strconv.Itoa(total))
	h.Set("Per-Page", strconv.Itoa(per))
	base := "http://" + c.r.Host
	if c.r.TLS != nil {
		base = "https://" + c.r.Host
	}
	if c.linkHost != "" {
		base = strings.TrimSuffix(c.linkHost, "/")
	}
	link := func(n int, rel string) string {
		v := url.Values{}
		for k, vs := range q {
			if !isCredentialParam(k) {
				v[k] = vs
			}
		}
		v.Set("page", strconv.Itoa(n))
		v.Set("per_page", strconv.Itoa(per))
		return "<" + base + c.r.URL.Path + "?" + v.Encode() + `>; rel="` + rel + `"`
	}
	var links []string
	if pg > 1 {
		links = append(links, link(1, "first"))
		if pg > 2 {
			links = append(links, link(min(pg-1, last), "prev"))
		}
	}
	if pg < last {
		links = append(links, link(pg+1, "next"), link(last, "last"))
	}
	if len(links) > 0 {
		h.Set("Link", strings.Join(links, ", "))
	}
	out := items[lo:hi]
	if out == nil {
		out = []any{}
	}
	writeJSON(w, http.StatusOK, out)
}

func friendlyName(name, scope string, g Grant) string {
	if g.FriendlyName != "" {
		return g.FriendlyName
	}
	if name == "home" {
		if scope == "company" {
			return "Portfolio"
		}
		return "Home"
	}
	switch name {
	case "budgeting":
		return "Budget"
	case "checklists":
		return "Inspections"
	case "communication_types":
		return "Correspondence"
	case "connection_hub":
		return "Connection Manager"
	case "images":
		return "Photos"
	}
	words := strings.Split(name, "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}
