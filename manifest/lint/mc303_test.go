package lint

import (
	"strings"
	"testing"
)

func TestIsPlaceholderNotes(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"these-are-post-installation-setup-notes", true},
		{"These are post-installation setup notes.", true},
		{"THESE_ARE_POST_INSTALLATION_NOTES", true},
		{"these are post installation setup notes, edit me", true},
		{"Post-installation notes", true},
		{"TODO", true},
		{"todo: write setup notes", true},
		{"TBD", true},
		{"FIXME later", true},
		{"  placeholder  ", true},
		{"Lorem ipsum dolor sit amet", true},
		{"test", true},
		{"", false},
		{"   ", false},
		{"Todoist users: connect your account after installing.", false},
		{"Sign in to your Example account, then choose the projects to sync.", false},
		{"Thank you for installing our application. Please visit our support site for additional information.", false},
		{"Run the tests in your sandbox first.", false},
		// Long notes are judged by their beginning only.
		{"notes" + strings.Repeat(".", 300) + " Sign in and choose the projects to sync.", false},
		{"TODO: " + strings.Repeat("write the setup steps ", 20), true},
	}
	for _, tt := range tests {
		if got := IsPlaceholderNotes(tt.in); got != tt.want {
			t.Errorf("IsPlaceholderNotes(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestClipNotes(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"this is too long", 10, "this is..."},
		{"ééééééééééé", 5, "éé..."},
	}
	for _, tt := range tests {
		if got := clipNotes(tt.in, tt.n); got != tt.want {
			t.Errorf("clipNotes(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
