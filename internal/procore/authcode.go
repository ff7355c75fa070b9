package procore

import (
	"errors"
	"fmt"
	"strings"
)

// MaxAuthCode caps an authorization code read from the user.
const MaxAuthCode = 4096

// ParseAuthCode checks what the user pasted as an authorization code: one
// code of printable ASCII, surrounding white space ignored. Its errors
// never quote the input (it may be a secret pasted by mistake).
func ParseAuthCode(s string) (string, error) {
	code := strings.TrimSpace(s)
	switch {
	case code == "":
		return "", errors.New("no authorization code given (standard input was empty): paste the code the authorize page shows")
	case len(code) > MaxAuthCode:
		return "", fmt.Errorf("that is not an authorization code (longer than %d bytes)", MaxAuthCode)
	case strings.ContainsFunc(code, func(r rune) bool { return r <= ' ' || r >= 0x7f }):
		return "", errors.New("that is not an authorization code (it has spaces or unusual characters): paste only the code the authorize page shows")
	}
	return code, nil
}

// Describe names the user for a message: "Name (login, user ID)", with
// the control characters of the server's text dropped.
func (u *User) Describe() string {
	switch {
	case u.Login != "" && u.Name != "":
		return fmt.Sprintf("%s (%s, user %d)", printableText(u.Name), printableText(u.Login), u.ID)
	case u.Login != "":
		return fmt.Sprintf("%s (user %d)", printableText(u.Login), u.ID)
	}
	return fmt.Sprintf("user %d", u.ID)
}

// printableText drops control characters from a server's text.
func printableText(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
}
