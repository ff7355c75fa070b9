package access

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeBot and fakePerson answer from lists and record the calls made.
type fakeBot struct {
	projects []Project
	err      error
	calls    []int64
}

func (b *fakeBot) Projects(_ context.Context, companyID int64) ([]Project, error) {
	b.calls = append(b.calls, companyID)
	return b.projects, b.err
}

type fakePerson struct {
	me                    User
	companies             []Company
	projects              []Project
	meErr, coErr, projErr error
	calls                 []string
}

func (p *fakePerson) Me(context.Context) (User, error) {
	p.calls = append(p.calls, "me")
	return p.me, p.meErr
}

func (p *fakePerson) Companies(context.Context) ([]Company, error) {
	p.calls = append(p.calls, "companies")
	return p.companies, p.coErr
}

func (p *fakePerson) Projects(context.Context, int64) ([]Project, error) {
	p.calls = append(p.calls, "projects")
	return p.projects, p.projErr
}

func ids(n ...int64) []Project {
	var out []Project
	for _, id := range n {
		out = append(out, Project{ID: id, Name: "P" + string(rune('0'+id%10))})
	}
	return out
}

func TestCompareProjects(t *testing.T) {
	dana := User{ID: 77, Login: "dana@example.com", Name: "Dana"}
	member := []Company{{ID: 5, Name: "Other"}, {ID: 10, Name: "Acme"}}
	tests := []struct {
		name       string
		companies  []Company
		bot, user  []Project
		want       []ProjectAccess
		summary    Summary
		inCompany  bool
		exit       int
		userCalls  []string
		wantCoName string
	}{
		{
			name: "overlapping", companies: member,
			bot: ids(1, 2, 3), user: ids(3, 2, 4),
			want: []ProjectAccess{
				{ID: 1, Name: "P1", Access: BotOnly}, {ID: 2, Name: "P2", Access: Both},
				{ID: 3, Name: "P3", Access: Both}, {ID: 4, Name: "P4", Access: UserOnly},
			},
			summary: Summary{Both: 2, BotOnly: 1, UserOnly: 1}, inCompany: true, exit: ExitDifferent,
			userCalls: []string{"me", "companies", "projects"}, wantCoName: "Acme",
		},
		{
			name: "disjoint", companies: member,
			bot: ids(1, 2), user: ids(3),
			want: []ProjectAccess{
				{ID: 1, Name: "P1", Access: BotOnly}, {ID: 2, Name: "P2", Access: BotOnly}, {ID: 3, Name: "P3", Access: UserOnly},
			},
			summary: Summary{BotOnly: 2, UserOnly: 1}, inCompany: true, exit: ExitDifferent,
			userCalls: []string{"me", "companies", "projects"}, wantCoName: "Acme",
		},
		{
			name: "identical", companies: member,
			bot: ids(2, 1), user: ids(1, 2),
			want:    []ProjectAccess{{ID: 1, Name: "P1", Access: Both}, {ID: 2, Name: "P2", Access: Both}},
			summary: Summary{Both: 2}, inCompany: true, exit: ExitSame,
			userCalls: []string{"me", "companies", "projects"}, wantCoName: "Acme",
		},
		{
			name: "duplicates across pages count once", companies: member,
			bot: ids(1, 1, 2), user: ids(2, 2),
			want:    []ProjectAccess{{ID: 1, Name: "P1", Access: BotOnly}, {ID: 2, Name: "P2", Access: Both}},
			summary: Summary{Both: 1, BotOnly: 1}, inCompany: true, exit: ExitDifferent,
			userCalls: []string{"me", "companies", "projects"}, wantCoName: "Acme",
		},
		{
			name: "nothing on either side", companies: member,
			want: []ProjectAccess{}, inCompany: true, exit: ExitSame,
			userCalls: []string{"me", "companies", "projects"}, wantCoName: "Acme",
		},
		{
			name: "user not in the company: no user listing, everything bot_only", companies: []Company{{ID: 5}},
			bot: ids(1, 2), user: ids(1),
			want:    []ProjectAccess{{ID: 1, Name: "P1", Access: BotOnly}, {ID: 2, Name: "P2", Access: BotOnly}},
			summary: Summary{BotOnly: 2}, inCompany: false, exit: ExitDifferent,
			userCalls: []string{"me", "companies"},
		},
		{
			name: "user in no company, bot lists nothing: still exit 1",
			want: []ProjectAccess{}, inCompany: false, exit: ExitDifferent,
			userCalls: []string{"me", "companies"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bot := &fakeBot{projects: tt.bot}
			user := &fakePerson{me: dana, companies: tt.companies, projects: tt.user}
			r, err := CompareProjects(context.Background(), 10, bot, user)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, r.Projects); diff != "" {
				t.Errorf("projects (-want +got):\n%s", diff)
			}
			if r.Summary != tt.summary || r.UserInCompany != tt.inCompany || r.ExitCode() != tt.exit {
				t.Errorf("summary %+v in %v exit %d, want %+v %v %d", r.Summary, r.UserInCompany, r.ExitCode(), tt.summary, tt.inCompany, tt.exit)
			}
			if r.CompanyID != 10 || r.User != (UserRef{ID: 77, Login: "dana@example.com"}) || r.UserName != "Dana" || r.CompanyName != tt.wantCoName {
				t.Errorf("report header = %d %+v %q %q", r.CompanyID, r.User, r.UserName, r.CompanyName)
			}
			if diff := cmp.Diff(tt.userCalls, user.calls); diff != "" {
				t.Errorf("user calls (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]int64{10}, bot.calls); diff != "" {
				t.Errorf("bot calls (-want +got):\n%s", diff)
			}
		})
	}
}

// A name missing from the DMSA's listing comes from the user's.
func TestCompareNameFromUser(t *testing.T) {
	bot := &fakeBot{projects: []Project{{ID: 1}}}
	user := &fakePerson{companies: []Company{{ID: 10}}, projects: []Project{{ID: 1, Name: "Tower"}}}
	r, err := CompareProjects(context.Background(), 10, bot, user)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Projects[0].Name; got != "Tower" {
		t.Errorf("name = %q, want Tower", got)
	}
}

func TestCompareErrors(t *testing.T) {
	boom := errors.New("403 App is not connected to this company.")
	tests := []struct {
		name       string
		bot        *fakeBot
		user       *fakePerson
		side, call string
		text       string
	}{
		{"me", &fakeBot{}, &fakePerson{meErr: boom}, "user", "me", "the logged-in user: who the token belongs to"},
		{"companies", &fakeBot{}, &fakePerson{coErr: boom}, "user", "companies", "the logged-in user: list the user's companies"},
		{"bot projects", &fakeBot{err: boom}, &fakePerson{companies: []Company{{ID: 10}}}, "bot", "projects", "the app's service account (DMSA): list the company's projects"},
		{"bot projects, user not in the company", &fakeBot{err: boom}, &fakePerson{me: User{ID: 77, Login: "dana@example.com"}, companies: []Company{{ID: 5}}},
			"bot", "projects", "the app's service account (DMSA): list the company's projects"},
		{"user projects", &fakeBot{}, &fakePerson{companies: []Company{{ID: 10}}, projErr: boom}, "user", "projects", "the logged-in user: list the company's projects"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := CompareProjects(context.Background(), 10, tt.bot, tt.user)
			if r != nil {
				t.Errorf("a report with an error: %+v", r)
			}
			var se *SideError
			if !errors.As(err, &se) || se.Side != tt.side || se.Call != tt.call || !errors.Is(err, boom) {
				t.Fatalf("err = %#v, want a SideError %s/%s wrapping the call's error", err, tt.side, tt.call)
			}
			want := tt.text + " (/rest/v1.0/" + tt.call + "): " + boom.Error()
			if se.NotMember != nil {
				// The membership check ran before the failure: what it
				// found is said too (B4).
				want += "; and the logged-in user (dana@example.com) is not in this company (/rest/v1.0/companies): do not show its data to this user"
			}
			if tt.name == "bot projects, user not in the company" && se.NotMember == nil {
				t.Errorf("the user is not in the company, but the error does not say so: %q", err)
			}
			if got := err.Error(); got != want {
				t.Errorf("message = %q", got)
			}
		})
	}
}
