package manifest

import "testing"

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
