package lint

import (
	"strings"
	"testing"
)

func TestVersionMessage(t *testing.T) {
	tests := []struct {
		in       string
		allow    bool
		contains []string
		absent   []string
	}{
		{"1.2.0-beta.1", false, []string{`"1.2.0-beta.1" has a pre-release`, "only MAJOR.MINOR.PATCH", "--allow-prerelease"}, nil},
		{"v1.2.3", false, []string{`starts with "v": write "1.2.3"`}, nil},
		{"v1.2.3-beta", true, []string{`write "1.2.3-beta"`}, nil},
		{"v1.2.3-beta", false, []string{`starts with "v" and has a pre-release`, "only MAJOR.MINOR.PATCH"}, nil},
		{"1.2", false, []string{`"1.2" is not MAJOR.MINOR.PATCH`, "three integers", "--allow-prerelease"}, nil},
		{"1.2", true, []string{`"1.2" is not a semantic version`}, []string{"--allow-prerelease"}},
		{"1.02.0", true, []string{"leading zeros"}, nil},
	}
	for _, tt := range tests {
		got := versionMessage(tt.in, tt.allow)
		for _, c := range tt.contains {
			if !strings.Contains(got, c) {
				t.Errorf("versionMessage(%q, %v) = %q, want it to contain %q", tt.in, tt.allow, got, c)
			}
		}
		for _, c := range tt.absent {
			if strings.Contains(got, c) {
				t.Errorf("versionMessage(%q, %v) = %q, want no %q", tt.in, tt.allow, got, c)
			}
		}
	}
}
