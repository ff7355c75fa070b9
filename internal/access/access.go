// Package access compares the projects of one Procore company that an
// app's service account (the DMSA, client credentials) and a logged-in
// user (authorization code) can reach, after checking that the user
// belongs to the company: Procore's two questions for apps that use both
// side by side (DESIGN.md §4 "login, logout and access compare").
//
// It depends on interfaces of its own, not on HTTP: the command line
// adapts internal/procore's clients to them.
package access

import (
	"context"
	"fmt"
	"sort"
)

// Project is one entry of a company's project listing.
type Project struct {
	ID   int64
	Name string
}

// Company is one company the user belongs to.
type Company struct {
	ID   int64
	Name string
}

// User is who the user token belongs to.
type User struct {
	ID    int64
	Login string
	Name  string
}

// Bot is the service account's (DMSA's) side: the projects of a company
// it can reach (every page, the company header sent).
type Bot interface {
	Projects(ctx context.Context, companyID int64) ([]Project, error)
}

// Person is the logged-in user's side.
type Person interface {
	// Me is who the token belongs to.
	Me(ctx context.Context) (User, error)
	// Companies lists the companies the user belongs to (every page).
	Companies(ctx context.Context) ([]Company, error)
	// Projects lists the projects of a company the user can reach.
	Projects(ctx context.Context, companyID int64) ([]Project, error)
}

// Access says who can reach a project.
type Access string

// The three kinds of access.
const (
	Both     Access = "both"      // the DMSA and the user
	BotOnly  Access = "bot_only"  // the DMSA only
	UserOnly Access = "user_only" // the user only
)

// Report is the result of CompareProjects, in DESIGN's JSON shape.
type Report struct {
	CompanyID     int64           `json:"company_id"`
	User          UserRef         `json:"user"`
	UserInCompany bool            `json:"user_in_company"`
	Projects      []ProjectAccess `json:"projects"`
	Summary       Summary         `json:"summary"`
	Requests      int64           `json:"requests"`

	// CompanyName is the company's name when a listing gave it ("" when
	// not); UserName is the user's display name. Neither is in the JSON
	// report (DESIGN's shape); the text and markdown formats use them.
	CompanyName string `json:"-"`
	UserName    string `json:"-"`
}

// UserRef is the user in the report.
type UserRef struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
}

// ProjectAccess is one project and who can reach it.
type ProjectAccess struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Access Access `json:"access"`
}

// Summary counts the projects of each kind.
type Summary struct {
	Both     int `json:"both"`
	BotOnly  int `json:"bot_only"`
	UserOnly int `json:"user_only"`
}

// Exit codes of a comparison (DESIGN §4).
const (
	ExitSame      = 0 // the user is in the company and every project is both
	ExitDifferent = 1 // some project is not both, or the user is not in the company
)

// ExitCode is ExitSame when the user belongs to the company and every
// project is reachable by both, else ExitDifferent.
func (r *Report) ExitCode() int {
	if !r.UserInCompany || r.Summary.BotOnly > 0 || r.Summary.UserOnly > 0 {
		return ExitDifferent
	}
	return ExitSame
}

// SideError is a call that failed on one side.
type SideError struct {
	Side string // "bot" or "user"
	Call string // "me", "companies" or "projects"
	Err  error
	// NotMember is set when the membership check had already run and
	// found that the user is not in the company: the message says so too,
	// since it is what the app must act on (DESIGN §4).
	NotMember *UserRef
}

// Error names the side and the call.
func (e *SideError) Error() string {
	who := "the logged-in user"
	if e.Side == "bot" {
		who = "the app's service account (DMSA)"
	}
	var msg string
	switch e.Call {
	case "me":
		msg = fmt.Sprintf("%s: who the token belongs to (/rest/v1.0/me): %v", who, e.Err)
	case "companies":
		msg = fmt.Sprintf("%s: list the user's companies (/rest/v1.0/companies): %v", who, e.Err)
	default:
		msg = fmt.Sprintf("%s: list the company's projects (/rest/v1.0/projects): %v", who, e.Err)
	}
	if u := e.NotMember; u != nil {
		name := u.Login
		if name == "" {
			name = fmt.Sprintf("id %d", u.ID)
		}
		msg += fmt.Sprintf("; and the logged-in user (%s) is not in this company (/rest/v1.0/companies): do not show its data to this user", name)
	}
	return msg
}

// Unwrap returns the call's error.
func (e *SideError) Unwrap() error { return e.Err }

// CompareProjects answers both questions for company companyID: the user's
// membership (GET /rest/v1.0/companies with the user's token), then the
// projects each side lists. When the user is not in the company, the
// user's project listing is not requested (Procore would refuse it, and
// counts refusals against the app): every project the DMSA lists is then
// bot_only and UserInCompany is false. Projects are sorted by id; a
// project listed twice counts once. Any failed call is a *SideError and
// no report: a comparison with one listing missing would mislabel
// projects. Requests is left for the caller, who counts them.
func CompareProjects(ctx context.Context, companyID int64, bot Bot, user Person) (*Report, error) {
	r := &Report{CompanyID: companyID, Projects: []ProjectAccess{}}
	me, err := user.Me(ctx)
	if err != nil {
		return nil, &SideError{Side: "user", Call: "me", Err: err}
	}
	r.User = UserRef{ID: me.ID, Login: me.Login}
	r.UserName = me.Name
	companies, err := user.Companies(ctx)
	if err != nil {
		return nil, &SideError{Side: "user", Call: "companies", Err: err}
	}
	for _, c := range companies {
		if c.ID == companyID {
			r.UserInCompany = true
			r.CompanyName = c.Name
			break
		}
	}
	botProjects, err := bot.Projects(ctx, companyID)
	if err != nil {
		se := &SideError{Side: "bot", Call: "projects", Err: err}
		if !r.UserInCompany {
			u := r.User
			se.NotMember = &u
		}
		return nil, se
	}
	var userProjects []Project
	if r.UserInCompany {
		if userProjects, err = user.Projects(ctx, companyID); err != nil {
			return nil, &SideError{Side: "user", Call: "projects", Err: err}
		}
	}
	r.Projects = merge(botProjects, userProjects)
	for _, p := range r.Projects {
		switch p.Access {
		case Both:
			r.Summary.Both++
		case BotOnly:
			r.Summary.BotOnly++
		case UserOnly:
			r.Summary.UserOnly++
		}
	}
	return r, nil
}

// merge labels every project of either listing, sorted by id. A name
// comes from the DMSA's listing, else from the user's.
func merge(bot, user []Project) []ProjectAccess {
	type seen struct {
		name      string
		bot, user bool
	}
	all := map[int64]*seen{}
	for _, p := range bot {
		s := all[p.ID]
		if s == nil {
			s = &seen{name: p.Name}
			all[p.ID] = s
		}
		s.bot = true
	}
	for _, p := range user {
		s := all[p.ID]
		if s == nil {
			s = &seen{name: p.Name}
			all[p.ID] = s
		}
		if s.name == "" {
			s.name = p.Name
		}
		s.user = true
	}
	out := make([]ProjectAccess, 0, len(all))
	for id, s := range all {
		a := Both
		switch {
		case !s.user:
			a = BotOnly
		case !s.bot:
			a = UserOnly
		}
		out = append(out, ProjectAccess{ID: id, Name: s.name, Access: a})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
