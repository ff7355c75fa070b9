package report

import "github.com/manifestctl/manifestctl/permissions/scan"

// sarifNotRead is the SARIF invocation that lists the paths that could not
// be read, one tool execution notification each (SARIF 2.1.0 §3.20.21),
// the run marked as not successful; nil when every path was read. validate
// and permissions scan share it, so that a CI reading one reads the other.
func sarifNotRead(errs []InputError, workDir string) []sarifInvocation {
	if len(errs) == 0 {
		return nil
	}
	inv := sarifInvocation{}
	for _, e := range errs {
		n := sarifNotification{Level: "error", Message: sarifMessage{Text: e.Message}}
		if e.Path == "-" {
			// No artifact to point at: the message names it.
			n.Message.Text = "standard input: " + e.Message
		} else {
			n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: sarifURI(slashPath(e.Path, workDir))}}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	return []sarifInvocation{inv}
}

// scanNotRead turns a scan report's unreadable paths into InputErrors.
func scanNotRead(r *scan.Report) []InputError {
	out := make([]InputError, 0, len(r.Errors))
	for _, e := range r.Errors {
		out = append(out, InputError{Path: e.Path, Message: e.Message})
	}
	return out
}

// notReadSuffix is what a summary line adds when some paths were not read:
// ", 1 path not read"; "" when every path was read.
func notReadSuffix(n int) string {
	if n == 0 {
		return ""
	}
	return ", " + plural(n, "path") + " not read"
}
