package procore

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"
)

// Company is an entry of GET /rest/v1.0/companies.
type Company struct {
	ID       int64
	Name     string
	IsActive *bool
}

// CompanyRef is the company object inside a project.
type CompanyRef struct {
	ID   int64
	Name string
}

// Project is an entry of GET /rest/v1.0/projects.
type Project struct {
	ID      int64
	Name    string
	Active  *bool
	Company *CompanyRef
}

// ToolPermission is one entry of settings/permissions' tools[]: the tool's
// key (Name), its friendly name, and the caller's user_access_level (ids
// 1 None, 2 Read Only, 3 Standard, 4 Admin; 0 when absent).
type ToolPermission struct {
	Name             string
	FriendlyName     string
	LevelID          int
	LevelName        string
	AvailableForUser *bool
}

// AppInstallation is an entry of GET /rest/v1.0/app_installations.
type AppInstallation struct {
	ID              int64
	SemanticVersion string
	Status          string
	UpdateAvailable bool // updatable_app_version_id is not null
}

// User is GET /rest/v1.0/me.
type User struct {
	ID    int64
	Login string
	Name  string
}

// TokenInfo is GET {login}/oauth/token/info.
type TokenInfo struct {
	ResourceOwnerID *int64 // null for client credentials tokens
	ApplicationUID  string
	ExpiresIn       time.Duration
	ExpiresAt       time.Time // zero when the server did not say
	CreatedAt       time.Time // zero when the server did not say
	Scopes          []string
}

// flexInt is a JSON integer that may come as a number, a numeric string or
// null (0).
type flexInt struct {
	v     int64
	valid bool
}

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return nil
		}
		b = []byte(s)
	}
	if n, err := strconv.ParseInt(string(b), 10, 64); err == nil {
		f.v, f.valid = n, true
		return nil
	}
	if x, err := strconv.ParseFloat(string(b), 64); err == nil && x == float64(int64(x)) {
		f.v, f.valid = int64(x), true
	}
	return nil
}

// flexString is a JSON string that may come as a number or a boolean;
// anything else is "".
type flexString string

func (f *flexString) UnmarshalJSON(b []byte) error {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil
	}
	switch x := v.(type) {
	case string:
		*f = flexString(x)
	case float64, bool, json.Number:
		*f = flexString(bytes.TrimSpace(b))
	}
	return nil
}

// flexBool is a JSON boolean that may come as "true"/"false" or null.
type flexBool struct {
	v     bool
	valid bool
}

func (f *flexBool) UnmarshalJSON(b []byte) error {
	switch string(bytes.Trim(bytes.TrimSpace(b), `"`)) {
	case "true":
		f.v, f.valid = true, true
	case "false":
		f.v, f.valid = false, true
	}
	return nil
}

func (f flexBool) ptr() *bool {
	if !f.valid {
		return nil
	}
	v := f.v
	return &v
}

// decodeArray decodes a JSON array leniently: an element that is not an
// object is skipped.
func decodeArray[T any](body []byte, what string) ([]T, error) {
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("%s: the answer is not a JSON array", what)
	}
	out := make([]T, 0, len(raw))
	for _, r := range raw {
		var v T
		if err := json.Unmarshal(r, &v); err != nil {
			continue
		}
		out = append(out, v)
	}
	return out, nil
}

type wireCompany struct {
	ID       flexInt    `json:"id"`
	Name     flexString `json:"name"`
	IsActive flexBool   `json:"is_active"`
}

// Companies lists GET /rest/v1.0/companies?include_free_companies=true,
// every page. headerCompanyID, when not 0, is sent as Procore-Company-Id
// (Procore wants it from DMSA tokens in some regions).
func (c *Client) Companies(ctx context.Context, headerCompanyID int64) ([]Company, error) {
	q := url.Values{"include_free_companies": {"true"}, "per_page": {"100"}}
	var out []Company
	err := c.list(ctx, headerCompanyID, c.apiURL("/rest/v1.0/companies", q), func(b []byte) error {
		page, err := decodeArray[wireCompany](b, "companies")
		for _, w := range page {
			if w.ID.valid {
				out = append(out, Company{ID: w.ID.v, Name: string(w.Name), IsActive: w.IsActive.ptr()})
			}
		}
		return err
	})
	return out, err
}

type wireTool struct {
	Name             flexString `json:"name"`
	FriendlyName     flexString `json:"friendly_name"`
	AvailableForUser flexBool   `json:"available_for_user"`
	Level            *struct {
		ID   flexInt    `json:"id"`
		Name flexString `json:"name"`
	} `json:"user_access_level"`
}

func decodeTools(body []byte) ([]ToolPermission, error) {
	var w struct {
		Tools []json.RawMessage `json:"tools"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("settings/permissions: the answer is not a JSON object with tools")
	}
	out := make([]ToolPermission, 0, len(w.Tools))
	for _, r := range w.Tools {
		var t wireTool
		if err := json.Unmarshal(r, &t); err != nil || t.Name == "" {
			continue
		}
		tp := ToolPermission{Name: string(t.Name), FriendlyName: string(t.FriendlyName), AvailableForUser: t.AvailableForUser.ptr()}
		if t.Level != nil {
			if t.Level.ID.valid && t.Level.ID.v >= 0 && t.Level.ID.v < 1<<31 {
				tp.LevelID = int(t.Level.ID.v)
			}
			tp.LevelName = string(t.Level.Name)
		}
		out = append(out, tp)
	}
	return out, nil
}

func (c *Client) permissions(ctx context.Context, company int64, q url.Values) ([]ToolPermission, error) {
	var out []ToolPermission
	err := c.list(ctx, company, c.apiURL("/rest/v1.0/settings/permissions", q), func(b []byte) error {
		tools, err := decodeTools(b)
		out = append(out, tools...)
		return err
	})
	return out, err
}

// CompanyPermissions is GET /rest/v1.0/settings/permissions?company_id=N:
// the company tools and the caller's level on each.
func (c *Client) CompanyPermissions(ctx context.Context, companyID int64) ([]ToolPermission, error) {
	return c.permissions(ctx, companyID, url.Values{"company_id": {strconv.FormatInt(companyID, 10)}})
}

// ProjectPermissions is GET /rest/v1.0/settings/permissions?project_id=P
// with the company header of companyID.
func (c *Client) ProjectPermissions(ctx context.Context, companyID, projectID int64) ([]ToolPermission, error) {
	return c.permissions(ctx, companyID, url.Values{"project_id": {strconv.FormatInt(projectID, 10)}})
}

type wireProject struct {
	ID      flexInt    `json:"id"`
	Name    flexString `json:"name"`
	Active  flexBool   `json:"active"`
	Company *struct {
		ID   flexInt    `json:"id"`
		Name flexString `json:"name"`
	} `json:"company"`
}

// Projects lists GET /rest/v1.0/projects?company_id=N&per_page=100 (plus
// filters[by_status]=All with includeInactive), following Link rel="next".
func (c *Client) Projects(ctx context.Context, companyID int64, includeInactive bool) ([]Project, error) {
	q := url.Values{"company_id": {strconv.FormatInt(companyID, 10)}, "per_page": {"100"}}
	if includeInactive {
		q.Set("filters[by_status]", "All")
	}
	var out []Project
	err := c.list(ctx, companyID, c.apiURL("/rest/v1.0/projects", q), func(b []byte) error {
		page, err := decodeArray[wireProject](b, "projects")
		for _, w := range page {
			if !w.ID.valid {
				continue
			}
			p := Project{ID: w.ID.v, Name: string(w.Name), Active: w.Active.ptr()}
			if w.Company != nil && w.Company.ID.valid {
				p.Company = &CompanyRef{ID: w.Company.ID.v, Name: string(w.Company.Name)}
			}
			out = append(out, p)
		}
		return err
	})
	return out, err
}

type wireInstallation struct {
	ID              flexInt         `json:"id"`
	SemanticVersion flexString      `json:"semantic_version"`
	Status          flexString      `json:"status"`
	Updatable       json.RawMessage `json:"updatable_app_version_id"`
}

// AppInstallations is GET /rest/v1.0/app_installations?company_id=N.
func (c *Client) AppInstallations(ctx context.Context, companyID int64) ([]AppInstallation, error) {
	q := url.Values{"company_id": {strconv.FormatInt(companyID, 10)}}
	var out []AppInstallation
	err := c.list(ctx, companyID, c.apiURL("/rest/v1.0/app_installations", q), func(b []byte) error {
		page, err := decodeArray[wireInstallation](b, "app_installations")
		for _, w := range page {
			up := bytes.TrimSpace(w.Updatable)
			out = append(out, AppInstallation{
				ID:              w.ID.v,
				SemanticVersion: string(w.SemanticVersion),
				Status:          string(w.Status),
				UpdateAvailable: len(up) > 0 && string(up) != "null",
			})
		}
		return err
	})
	return out, err
}

// Me is GET /rest/v1.0/me: the user the token belongs to.
func (c *Client) Me(ctx context.Context) (*User, error) {
	resp, err := c.get(ctx, 0, c.apiURL("/rest/v1.0/me", nil))
	if err != nil {
		return nil, err
	}
	var w struct {
		ID    flexInt    `json:"id"`
		Login flexString `json:"login"`
		Name  flexString `json:"name"`
	}
	if err := json.Unmarshal(resp.body, &w); err != nil {
		return nil, fmt.Errorf("me: the answer is not a JSON object")
	}
	return &User{ID: w.ID.v, Login: string(w.Login), Name: string(w.Name)}, nil
}

// TokenInfo is GET {login}/oauth/token/info for the token in use (one
// request, also when called again: the answer is kept).
func (c *Client) TokenInfo(ctx context.Context) (*TokenInfo, error) {
	c.infoMu.Lock()
	defer c.infoMu.Unlock()
	if c.info != nil {
		ti := *c.info
		return &ti, nil
	}
	u := *c.login
	u.Path = c.login.Path + "/oauth/token/info"
	resp, err := c.get(ctx, 0, &u)
	if err != nil {
		return nil, err
	}
	ti, err := parseTokenInfo(resp.body, c.now())
	if err != nil {
		return nil, err
	}
	c.info = ti
	cp := *ti
	return &cp, nil
}

func parseTokenInfo(body []byte, now time.Time) (*TokenInfo, error) {
	var w struct {
		ResourceOwnerID flexInt `json:"resource_owner_id"`
		Scopes          any     `json:"scopes"`
		Scope           any     `json:"scope"`
		ExpiresIn       flexInt `json:"expires_in_seconds"`
		ExpiresIn2      flexInt `json:"expires_in"`
		CreatedAt       flexInt `json:"created_at"`
		Application     *struct {
			UID flexString `json:"uid"`
		} `json:"application"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, fmt.Errorf("token info: the answer is not a JSON object")
	}
	ti := &TokenInfo{}
	if w.ResourceOwnerID.valid {
		id := w.ResourceOwnerID.v
		ti.ResourceOwnerID = &id
	}
	if w.Application != nil {
		ti.ApplicationUID = string(w.Application.UID)
	}
	exp := w.ExpiresIn
	if !exp.valid {
		exp = w.ExpiresIn2
	}
	if exp.valid && exp.v >= 0 && exp.v < 1<<31 {
		ti.ExpiresIn = time.Duration(exp.v) * time.Second
		ti.ExpiresAt = now.Add(ti.ExpiresIn)
	}
	if w.CreatedAt.valid && w.CreatedAt.v > 0 {
		ti.CreatedAt = time.Unix(w.CreatedAt.v, 0).UTC()
	}
	ti.Scopes = scopesOf(w.Scopes)
	if ti.Scopes == nil {
		ti.Scopes = scopesOf(w.Scope)
	}
	return ti, nil
}

func scopesOf(v any) []string {
	switch x := v.(type) {
	case []any:
		out := []string{}
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		return splitFields(x)
	}
	return nil
}

func splitFields(s string) []string {
	out := []string{}
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' || s[i] == ',' {
			if start >= 0 {
				out = append(out, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	return out
}

// TokenExpiry returns when the token in use expires, for a warning when it
// expires before the run's deadline. For a fetched token (client
// credentials, stored login) it is known from the token response and
// costs no request beyond getting the token; for a given token it comes
// from token info (kept, so a later TokenInfo costs nothing). Zero: the
// server did not say.
func (c *Client) TokenExpiry(ctx context.Context) (time.Time, error) {
	if c.mode != ModeAccessToken {
		if _, err := c.tokens.token(ctx); err != nil {
			return time.Time{}, err
		}
		if exp := c.tokens.expiry(); !exp.IsZero() {
			return exp, nil
		}
	}
	ti, err := c.TokenInfo(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return ti.ExpiresAt, nil
}
