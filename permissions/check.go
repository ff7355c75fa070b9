package permissions

// CheckAssignment checks a grant against the catalogue (nil means
// Default): a known scope, and a level the tool allows; a tool of the
// other scope is an error, an unknown tool is accepted (the catalogue may
// lag Procore). Errors are *AssignmentError.
func CheckAssignment(cat *Catalog, a Assignment) error {
	if cat == nil {
		var err error
		if cat, err = Default(); err != nil {
			return err
		}
	}
	_, _, err := checkAssignment(cat, a)
	return err
}
