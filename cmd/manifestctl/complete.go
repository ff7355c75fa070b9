package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/manifest/lint"
	"github.com/manifestctl/manifestctl/permissions"
	"github.com/manifestctl/manifestctl/release"
)

// completeFlag is the last argument of a completion request: the shell
// scripts run "manifestctl WORDS... CUR --generate-bash-completion" and
// offer the lines printed (bash: files when there are none).
const completeFlag = "--generate-bash-completion"

// writeCompletions prints the words that may replace cur, the last of
// args, after the words before it (args[0] is the program name).
func writeCompletions(app *cli.App, args []string, w io.Writer) {
	if len(args) == 0 {
		return
	}
	for _, c := range completions(app, args[1:len(args)-1], args[len(args)-1]) {
		fmt.Fprintln(w, c)
	}
}

// completions returns the candidates for cur after the words typed so far
// (without the program name). Nil means "complete file names".
func completions(app *cli.App, typed []string, cur string) []string {
	flags, cmds := app.Flags, app.Commands
	var path []string
	var pos []string  // positional arguments of the command, typed so far
	expectValue := "" // a flag whose value comes next
	for _, w := range typed {
		switch {
		case expectValue != "":
			expectValue = ""
		case w == "--":
		case strings.HasPrefix(w, "-") && w != "-":
			name := strings.TrimLeft(w, "-")
			if !strings.Contains(name, "=") && takesValue(flags, name) {
				expectValue = name
			}
		default:
			if len(pos) == 0 {
				if c := findCommand(cmds, w); c != nil {
					path = append(path, c.Name)
					flags, cmds = c.Flags, c.Subcommands
					continue
				}
			}
			pos = append(pos, w)
		}
	}
	cmdPath := strings.Join(path, " ")
	if expectValue != "" {
		return flagValues(flags, expectValue, cur)
	}
	if strings.HasPrefix(cur, "-") {
		if name, val, ok := strings.Cut(strings.TrimLeft(cur, "-"), "="); ok {
			prefix := cur[:len(cur)-len(val)]
			var out []string
			for _, v := range flagValues(flags, name, val) {
				out = append(out, prefix+v)
			}
			return out
		}
		var out []string
		for _, f := range flags {
			for _, n := range f.Names() {
				if len(n) > 1 {
					out = append(out, "--"+n)
				}
			}
		}
		if cmdPath == "" {
			out = append(out, "--version")
		}
		return append(out, "--help")
	}
	if len(pos) == 0 && len(cmds) > 0 {
		var out []string
		for _, c := range cmds {
			if !c.Hidden && c.Name != "help" {
				out = append(out, c.Name)
			}
		}
		if cmdPath == "" {
			out = append(out, "help")
		}
		return out
	}
	if f := argCompleters[cmdPath]; f != nil {
		return f(len(pos), cur)
	}
	return nil
}

// argCompleters complete the positional arguments of the commands whose
// arguments are not (only) files, by command path and argument index.
var argCompleters = map[string]func(i int, cur string) []string{
	"permissions set": func(i int, cur string) []string {
		if i == 0 {
			return nil
		}
		return toolSpecs(cur, true)
	},
	"permissions unset": func(i int, cur string) []string {
		if i == 0 {
			return nil
		}
		return toolSpecs(cur, false)
	},
	"version bump": func(i int, cur string) []string {
		if i == 1 {
			return []string{"major", "minor", "patch", "auto"}
		}
		return nil
	},
	"rules explain": func(i int, cur string) []string {
		if i == 0 {
			return ruleIDs()
		}
		return []string{}
	},
	"completion": func(i int, cur string) []string {
		if i == 0 {
			return completionShells
		}
		return []string{}
	},
	"init": func(int, string) []string { return []string{} },
}

// flagValues returns the values of flag name (for a flag of flags);
// nil (file names) for the flags that take a path.
func flagValues(flags []cli.Flag, name, cur string) []string {
	switch name {
	case "format", "f":
		for _, f := range flags {
			if sf, ok := f.(*cli.StringFlag); ok && sf.Name == "format" {
				if _, list, ok := strings.Cut(sf.Usage, "output format: "); ok {
					return strings.Split(list, ", ")
				}
			}
		}
	case "data-connector":
		return release.Connectors
	case "scope":
		return permissions.Scopes
	case "schema-version", "to":
		return []string{"3", "3.0", "3.1", "3.2", "4.1"}
	case "rule":
		if id, _, ok := strings.Cut(cur, "="); ok {
			var out []string
			for _, s := range []string{"error", "warning", "info", "off"} {
				out = append(out, id+"="+s)
			}
			return out
		}
		return ruleIDs()
	case "grant":
		return toolSpecs(cur, true)
	}
	return nil
}

func ruleIDs() []string {
	var out []string
	for _, r := range lint.All() {
		out = append(out, r.ID)
	}
	return out
}

// toolSpecs completes scope:tool(=level): the scopes, then the tool keys
// of the scope typed, then (withLevel) the levels the tool allows.
func toolSpecs(cur string, withLevel bool) []string {
	scope, rest, ok := strings.Cut(cur, ":")
	if !ok {
		return []string{permissions.Company + ":", permissions.Project + ":"}
	}
	cat, err := permissions.Default()
	if err != nil || !permissions.ValidScope(scope) {
		return []string{}
	}
	var out []string
	if key, _, ok := strings.Cut(rest, "="); ok && withLevel {
		t := cat.Lookup(scope, key)
		if t == nil {
			return []string{}
		}
		for _, l := range t.Levels {
			out = append(out, scope+":"+key+"="+l.String())
		}
		return out
	}
	for _, t := range cat.Tools(scope) {
		out = append(out, scope+":"+t.Key)
	}
	return out
}
