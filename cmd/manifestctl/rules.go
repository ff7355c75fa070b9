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

func runRulesList(c *cli.Context) error {
	if c.Args().Len() > 0 {
		return usageErrorf("unknown rules subcommand %q (want list or explain ID)", c.Args().First())
	}
	format, err := checkFormat(c, report.Rules.Formats())
	if err != nil {
		return err
	}
	cfg, err := configResolver(c.String("config")).For("-")
	if err != nil {
		return configError(err)
	}
	rows := report.RuleRows(func(r *lint.Rule) manifest.Severity { return config.EffectiveSeverity(r, nil, cfg) })
	return report.Rules.Write(c.App.Writer, format, rows, report.Options{})
}

func runRulesExplain(c *cli.Context) error {
	format, err := checkFormat(c, report.RuleDoc.Formats())
	if err != nil {
		return err
	}
	if c.Args().Len() != 1 {
		return usageErrorf("rules explain needs exactly one rule ID, e.g. manifestctl rules explain MC201")
	}
	r := lint.Lookup(c.Args().First())
	if r == nil {
		return usageErrorf("unknown rule %q (run \"manifestctl rules\" for the list)", c.Args().First())
	}
	page, err := report.NewRulePage(r)
	if err != nil {
		return err
	}
	return report.RuleDoc.Write(c.App.Writer, format, page, report.Options{})
}
