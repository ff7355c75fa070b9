package sandbox

// The JSON bodies the fake answers, as structs so fields come in a stable,
// Procore-like order (id first).

type tokenJSON struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int64  `json:"expires_in"`
	CreatedAt    int64  `json:"created_at"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

type tokenInfoJSON struct {
	ResourceOwnerID  *int64   `json:"resource_owner_id"` // null for a client-credentials token
	Scopes           []string `json:"scopes"`
	ExpiresInSeconds int64    `json:"expires_in_seconds"`
	Application      struct {
		UID string `json:"uid"`
	} `json:"application"`
	CreatedAt int64 `json:"created_at"`
}

type meJSON struct {
	ID    int64  `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
}

type companyJSON struct {
	ID                    int64   `json:"id"`
	Name                  string  `json:"name"`
	IsActive              bool    `json:"is_active"`
	LogoURL               *string `json:"logo_url"`
	PCNBusinessExperience bool    `json:"pcn_business_experience"`
	MyCompany             bool    `json:"my_company"`
}

type idName struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

type projectJSON struct {
	ID            int64  `json:"id"`
	Name          string `json:"name"`
	DisplayName   string `json:"display_name"`
	ProjectNumber string `json:"project_number"`
	Active        bool   `json:"active"`
	Company       idName `json:"company"`
}

type levelJSON struct {
	ID   int    `json:"id"`
	Name string `json:"name"`
}

type permissionToolJSON struct {
	ID               int       `json:"id"`
	Name             string    `json:"name"`
	FriendlyName     string    `json:"friendly_name"`
	DomainID         int       `json:"domain_id"`
	TabGroup         string    `json:"tab_group"`
	AvailableForUser bool      `json:"available_for_user"`
	URL              string    `json:"url"`
	UserAccessLevel  levelJSON `json:"user_access_level"`
	PermittedActions []any     `json:"permitted_actions"`
	CreateURL        *string   `json:"create_url"`
	CanCreate        bool      `json:"can_create"`
	Trial            bool      `json:"trial"`
}

type permissionsJSON struct {
	Tools []permissionToolJSON `json:"tools"`
}

type projectToolJSON struct {
	ID         int    `json:"id"`
	EngineName string `json:"engine_name"`
	IsActive   bool   `json:"is_active"`
	Position   int    `json:"position"`
	Required   bool   `json:"required"`
	Title      string `json:"title"`
}

type installationJSON struct {
	ID                    int64  `json:"id"`
	SemanticVersion       string `json:"semantic_version"`
	Status                string `json:"status"`
	UpdatableAppVersionID *int64 `json:"updatable_app_version_id"`
	DeveloperApp          struct {
		UID                   string `json:"uid"`
		PublishedAppVersionID *int64 `json:"published_app_version_id"`
	} `json:"developer_app"`
}
