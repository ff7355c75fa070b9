package main

import (
	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/internal/config"
	"github.com/manifestctl/manifestctl/internal/report"
	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/manifest/lint"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:      "rules",
		Usage:     "list the rule catalogue, or explain a rule",
		ArgsUsage: "[list | explain ID]",
		Flags: []cli.Flag{
			kindFormatFlag(report.Rules.Formats()),
			configFlag(),
		},
		Action: runRulesList,
		Subcommands: []*cli.Command{
			{
				Name:   "list",
				Usage:  "list every rule with its ID, default and effective severity and title",
				Flags:  []cli.Flag{kindFormatFlag(report.Rules.Formats()), configFlag()},
				Action: runRulesList,
			},
			{
				Name:      "explain",
				Usage:     "print a rule's documentation page",
				ArgsUsage: "ID",
				Flags:     []cli.Flag{kindFormatFlag(report.RuleDoc.Formats())},
				Action:    runRulesExplain,
			},
		},
	}
}

// rulesFlags are the arguments and flags of rules list and rules explain.
type rulesFlags struct {
	format string
	config string     // list
	rule   *lint.Rule // explain
}

func parseRulesList(c *cli.Context) (*rulesFlags, error) {
	if c.Args().Len() > 0 {
		return nil, usageErrorf("unknown rules subcommand %q (want list or explain ID)", c.Args().First())
	}
	format, err := checkFormat(c, report.Rules.Formats())
	if err != nil {
		return nil, err
	}
	return &rulesFlags{format: format, config: c.String("config")}, nil
}

func runRulesList(c *cli.Context) error {
	o, err := parseRulesList(c)
	if err != nil {
		return err
	}
	cfg, err := configResolver(o.config).For("-")
	if err != nil {
		return configError(err)
	}
	rows := report.RuleRows(func(r *lint.Rule) manifest.Severity { return config.EffectiveSeverity(r, nil, cfg) })
	return report.Rules.Write(envOf(c).Stdout, o.format, rows, report.Options{})
}

func parseRulesExplain(c *cli.Context) (*rulesFlags, error) {
	format, err := checkFormat(c, report.RuleDoc.Formats())
	if err != nil {
		return nil, err
	}
	if c.Args().Len() != 1 {
		return nil, usageErrorf("rules explain needs exactly one rule ID, e.g. manifestctl rules explain MC201")
	}
	r := lint.Lookup(c.Args().First())
	if r == nil {
		return nil, usageErrorf("unknown rule %q (run \"manifestctl rules\" for the list)", c.Args().First())
	}
	return &rulesFlags{format: format, rule: r}, nil
}

func runRulesExplain(c *cli.Context) error {
	o, err := parseRulesExplain(c)
	if err != nil {
		return err
	}
	page, err := report.NewRulePage(o.rule)
	if err != nil {
		return err
	}
	return report.RuleDoc.Write(envOf(c).Stdout, o.format, page, report.Options{})
}
