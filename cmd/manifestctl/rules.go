package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/manifest/lint"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:      "rules",
		Usage:     "list the rule catalogue, or explain a rule",
		ArgsUsage: "[list | explain ID]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text, json"},
			configFlag(),
		},
		Action: runRulesList,
		Subcommands: []*cli.Command{
			{
				Name:   "list",
				Usage:  "list every rule with its ID, default and effective severity and title",
				Flags:  []cli.Flag{&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output format: text, json"}, configFlag()},
				Action: runRulesList,
			},
			{
				Name:      "explain",
				Usage:     "print a rule's documentation page",
				ArgsUsage: "ID",
				Action:    runRulesExplain,
			},
		},
	}
}

type ruleJSON struct {
	ID       string `json:"id"`
	Severity string `json:"severity"`
	// Effective is the severity under the configuration in use
	// (.manifestctl.json found from the working directory, or --config).
	Effective string `json:"effective"`
	Title     string `json:"title"`
	Fixable   bool   `json:"fixable"`
	URL       string `json:"url"`
}

func runRulesList(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usageErrorf("unknown rules subcommand %q (want list or explain ID)", c.Args().First())
	}
	rules := lint.All()
	cfg, err := configResolver(c).For("-")
	if err != nil {
		return configError(err)
	}
	switch c.String("format") {
	case "text":
		tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "ID\tDEFAULT\tEFFECTIVE\tTITLE\n")
		for _, r := range rules {
			fix := ""
			if r.Fixable {
				fix = " (fixable)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\n", r.ID, r.Severity, effectiveSeverity(r, nil, cfg), r.Title, fix)
		}
		return tw.Flush()
	case "json":
		out := make([]ruleJSON, 0, len(rules))
		for _, r := range rules {
			out = append(out, ruleJSON{ID: r.ID, Severity: r.Severity.String(), Effective: effectiveSeverity(r, nil, cfg).String(),
				Title: r.Title, Fixable: r.Fixable, URL: r.URL()})
		}
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	return usageErrorf("unknown format %q (want text, json)", c.String("format"))
}

func runRulesExplain(c *cli.Context) error {
	if c.Args().Len() != 1 {
		return usageErrorf("rules explain needs exactly one rule ID, e.g. manifestctl rules explain MC201")
	}
	r := lint.Lookup(c.Args().First())
	if r == nil {
		return usageErrorf("unknown rule %q (run \"manifestctl rules\" for the list)", c.Args().First())
	}
	page, err := lint.Doc(r.ID)
	if err != nil {
		return err
	}
	fmt.Fprint(c.App.Writer, page)
	fmt.Fprintf(c.App.Writer, "\nOnline: %s\n", r.URL())
	return nil
}
