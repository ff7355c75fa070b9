package lint

// installRules are the rules of this family; see doc.go for the numbering.
var installRules = []*Rule{}
