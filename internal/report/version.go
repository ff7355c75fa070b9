package report

import (
	"fmt"
	"io"
)

// Version is the result of version show: a manifest's app_manifest.version.
type Version struct {
	Path    string  `json:"path"`
	Version *string `json:"version"` // nil when missing or not a string
}

// VersionShow is the report of version show: the bare version (nothing
// when there is none), or {"path", "version"} in json.
var VersionShow = &Kind[*Version]{Name: "version show", formats: map[string]func(io.Writer, *Version, Options) error{
	"text": func(w io.Writer, v *Version, _ Options) error {
		if v.Version == nil {
			return nil
		}
		_, err := fmt.Fprintln(w, *v.Version)
		return err
	},
	"json": func(w io.Writer, v *Version, _ Options) error { return writeJSON(w, v) },
}}
