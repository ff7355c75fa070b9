package main

import (
	"context"

	"github.com/manifestctl/manifestctl/internal/access"
	"github.com/manifestctl/manifestctl/internal/procore"
)

// botSide and userSide adapt the client to internal/access.
type botSide struct {
	c        *procore.Client
	inactive bool
}

func (b botSide) Projects(ctx context.Context, companyID int64) ([]access.Project, error) {
	return projectsOf(b.c.Projects(ctx, companyID, b.inactive))
}

type userSide struct {
	c        *procore.Client
	inactive bool
}

func (u userSide) Me(ctx context.Context) (access.User, error) {
	me, err := u.c.Me(ctx)
	if err != nil {
		return access.User{}, err
	}
	return access.User{ID: me.ID, Login: me.Login, Name: me.Name}, nil
}

// Companies lists the user's companies; a user token needs no company
// header there.
func (u userSide) Companies(ctx context.Context) ([]access.Company, error) {
	list, err := u.c.Companies(ctx, 0)
	if err != nil {
		return nil, err
	}
	out := make([]access.Company, len(list))
	for i, c := range list {
		out[i] = access.Company{ID: c.ID, Name: c.Name}
	}
	return out, nil
}

func (u userSide) Projects(ctx context.Context, companyID int64) ([]access.Project, error) {
	return projectsOf(u.c.Projects(ctx, companyID, u.inactive))
}

func projectsOf(list []procore.Project, err error) ([]access.Project, error) {
	if err != nil {
		return nil, err
	}
	out := make([]access.Project, len(list))
	for i, p := range list {
		out[i] = access.Project{ID: p.ID, Name: p.Name}
	}
	return out, nil
}
