package lint

// permissionRules are the rules of this family; see doc.go for the numbering.
var permissionRules = []*Rule{}
