package procore

import (
	"io"
	"os"
)

// ReadLogin parses the token file at path whatever its mode (logout
// deletes a login others can read too), read up to the token store's
// size cap. Its errors never quote the contents (see ParseLogin).
func ReadLogin(path string) (*StoredLogin, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxLoginFile+1))
	if err != nil {
		return nil, err
	}
	return ParseLogin(data)
}
