package lint

// componentRules are the rules of this family; see doc.go for the numbering.
var componentRules = []*Rule{}
