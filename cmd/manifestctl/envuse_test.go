package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommandsTakeTheirEnvironment: only env.go (the environment itself)
// and main.go touch the process's streams, variables, working directory
// or terminal; every command reads them through envOf(c).
func TestCommandsTakeTheirEnvironment(t *testing.T) {
	forbidden := map[string]map[string]bool{
		"os":   {"Getenv": true, "LookupEnv": true, "Environ": true, "Getwd": true, "Stdin": true, "Stdout": true, "Stderr": true},
		"term": {"*": true},
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "env.go" || name == "main.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		imports := map[string]string{} // local name -> path
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			local := filepath.Base(path)
			if imp.Name != nil {
				local = imp.Name.Name
			}
			imports[local] = path
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok {
				return true
			}
			path := imports[pkg.Name]
			var names map[string]bool
			switch path {
			case "os":
				names = forbidden["os"]
			case "golang.org/x/term":
				names = forbidden["term"]
			}
			if names["*"] || names[sel.Sel.Name] {
				t.Errorf("%s: %s.%s: commands take it from their environment (envOf(c), env.go)", fset.Position(sel.Pos()), pkg.Name, sel.Sel.Name)
			}
			return true
		})
	}
}
