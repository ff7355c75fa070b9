package manifest

import (
	"fmt"
	"strconv"
	"strings"
)

// AppendPointer returns the JSON Pointer for token under parent, escaping
// "~" and "/" as RFC 6901 requires.
func AppendPointer(parent, token string) string {
	if strings.IndexByte(token, '~') < 0 && strings.IndexByte(token, '/') < 0 {
		return parent + "/" + token
	}
	token = strings.ReplaceAll(token, "~", "~0")
	token = strings.ReplaceAll(token, "/", "~1")
	return parent + "/" + token
}

// AppendIndex returns the JSON Pointer for array element i under parent.
func AppendIndex(parent string, i int) string {
	return parent + "/" + strconv.Itoa(i)
}

// SplitPointer returns the unescaped reference tokens of a JSON Pointer.
// The empty pointer has no tokens.
func SplitPointer(ptr string) ([]string, error) {
	if ptr == "" {
		return nil, nil
	}
	if ptr[0] != '/' {
		return nil, fmt.Errorf("json pointer %q does not start with /", ptr)
	}
	parts := strings.Split(ptr[1:], "/")
	for i, p := range parts {
		if strings.IndexByte(p, '~') < 0 {
			continue
		}
		var b strings.Builder
		for j := 0; j < len(p); j++ {
			if p[j] != '~' {
				b.WriteByte(p[j])
				continue
			}
			if j+1 >= len(p) || (p[j+1] != '0' && p[j+1] != '1') {
				return nil, fmt.Errorf("json pointer %q has a bad escape", ptr)
			}
			if p[j+1] == '0' {
				b.WriteByte('~')
			} else {
				b.WriteByte('/')
			}
			j++
		}
		parts[i] = b.String()
	}
	return parts, nil
}

// ParentPointer returns the pointer of the container holding ptr ("" for a
// top-level member or for "").
func ParentPointer(ptr string) string {
	i := strings.LastIndexByte(ptr, '/')
	if i < 0 {
		return ""
	}
	return ptr[:i]
}

// JoinPointer builds a pointer from unescaped tokens.
func JoinPointer(tokens ...string) string {
	p := ""
	for _, t := range tokens {
		p = AppendPointer(p, t)
	}
	return p
}
