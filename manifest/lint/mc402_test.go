package lint

import (
	"strings"
	"testing"
)

func TestIsReleaseVersion(t *testing.T) {
	tests := []struct {
		in              string
		release, semver bool
	}{
		{"1.0.0", true, true},
		{"0.0.0", true, true},
		{"10.20.30", true, true},
		{"1.2.0-beta.1", false, true},
		{"1.2.0+build.7", false, true},
		{"1.2.0-rc.1+build", false, true},
		{"v1.2.3", false, false},
		{"1.2", false, false},
		{"1", false, false},
		{"1.2.3.4", false, false},
		{"01.2.3", false, false},
		{"1.02.3", false, false},
		{"1.2.03", false, false},
		{"1.2.3-", false, false},
		{"1.2.3-01", false, false},
		{"1.2.3+", false, false},
		{"1..3", false, false},
		{" 1.2.3", false, false},
		{"1.2.3 ", false, false},
		{"a.b.c", false, false},
		{"-1.2.3", false, false},
		{"99999999999999999999.0.0", false, false}, // over uint64
		{"", false, false},
	}
	for _, tt := range tests {
		if got := IsReleaseVersion(tt.in); got != tt.release {
			t.Errorf("IsReleaseVersion(%q) = %v, want %v", tt.in, got, tt.release)
		}
		if got := IsSemanticVersion(tt.in); got != tt.semver {
			t.Errorf("IsSemanticVersion(%q) = %v, want %v", tt.in, got, tt.semver)
		}
	}
}

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
