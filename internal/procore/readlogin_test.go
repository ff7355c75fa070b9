package procore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadLogin: a login is read whatever its mode; a file that is not
// one, or too large, is an error that does not quote it.
func TestReadLogin(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "login.json")
	l := &StoredLogin{Env: "sandbox", LoginURL: "https://login-sandbox.procore.com", AccessToken: "tok-abc", RefreshToken: "ref-abc"}
	if err := SaveLogin(good, l); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(good, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadLogin(good)
	if err != nil || got.Env != "sandbox" || got.AccessToken != "tok-abc" {
		t.Errorf("ReadLogin(readable by others) = %+v, %v; want the login", got, err)
	}
	for name, data := range map[string]string{
		"not json":  "SECRET-LOOKING not json",
		"too large": `{"version":1,"access_token":"` + strings.Repeat("a", maxLoginFile) + `"}`,
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "_"))
		os.WriteFile(p, []byte(data), 0o600)
		if _, err := ReadLogin(p); err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "aaaa") {
			t.Errorf("ReadLogin(%s) error = %v", name, err)
		}
	}
	if _, err := ReadLogin(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("ReadLogin(missing) error = %v, want not-exist", err)
	}
}
