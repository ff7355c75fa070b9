package lint

// versionRules are the rules of this family; see doc.go for the numbering.
var versionRules = []*Rule{}
