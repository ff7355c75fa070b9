package audit

import (
	"context"
	"errors"
)

// API is what the audit needs from Procore. Every method is one logical
// call (Projects follows the pages of the listing). Implementations must be
// safe for concurrent use.
type API interface {
	// Companies lists the companies the app is installed in
	// (GET /rest/v1.0/companies). headerCompanyID, when not 0, is sent as
	// Procore-Company-Id.
	Companies(ctx context.Context, headerCompanyID int64) ([]Company, error)
	// CompanyPermissions returns the company tools and the DMSA's level on
	// each (GET /rest/v1.0/settings/permissions?company_id=N).
	CompanyPermissions(ctx context.Context, companyID int64) ([]ToolPermission, error)
	// Projects lists the projects the DMSA may reach: active ones only,
	// unless includeInactive.
	Projects(ctx context.Context, companyID int64, includeInactive bool) ([]Project, error)
	// ProjectPermissions returns a project's tools and the DMSA's level on
	// each (GET /rest/v1.0/settings/permissions?project_id=P).
	ProjectPermissions(ctx context.Context, companyID, projectID int64) ([]ToolPermission, error)
	// AppInstallations returns the app's installations in a company
	// (GET /rest/v1.0/app_installations?company_id=N).
	AppInstallations(ctx context.Context, companyID int64) ([]Installation, error)
}

// Company is one company the app is installed in.
type Company struct {
	ID       int64
	Name     string
	IsActive *bool
}

// ToolPermission is one tool of a settings/permissions answer.
type ToolPermission struct {
	// Name is the tool's API name (tools[].name).
	Name         string
	FriendlyName string
	// LevelID is user_access_level.id: 1 None, 2 Read Only, 3 Standard,
	// 4 Admin. Levels are compared by id; LevelName is for people.
	LevelID   int
	LevelName string
	// AvailableForUser is available_for_user; nil when absent.
	AvailableForUser *bool
}

// Project is one permitted project.
type Project struct {
	ID     int64
	Name   string
	Active *bool
	// CompanyName is the name of the project's company object, "" when
	// absent.
	CompanyName string
}

// Installation is one installation of the app in a company.
type Installation struct {
	ID              int64
	Version         string // semantic_version
	Status          string
	UpdateAvailable bool
}

// RemoteError is what the audit reads from a failed call: the HTTP status,
// Procore's X-Request-Id and Procore's message. The client's errors
// implement it; the audit finds it with errors.As.
type RemoteError interface {
	error
	HTTPStatus() int
	ProcoreRequestID() string
	ProcoreMessage() string
}

// remote returns the RemoteError in err's chain, or nil.
func remote(err error) RemoteError {
	var re RemoteError
	if errors.As(err, &re) {
		return re
	}
	return nil
}
