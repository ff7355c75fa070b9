package main

import (
	"github.com/urfave/cli/v2"

	"github.com/manifestctl/manifestctl/manifest"
	"github.com/manifestctl/manifestctl/schema"
)

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print the embedded JSON Schema of an App Manifest version",
		ArgsUsage: " ",
		Description: "Prints the JSON Schema manifestctl validates against (draft 2020-12), for editors and other\n" +
			"validators. 3, 3.0, 3.1 and 3.2 share the 3.x schema. The schema is lenient where Procore is\n" +
			"(unknown members allowed); the lint rules check what a schema cannot (manifestctl rules).",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "schema-version", Value: string(manifest.V41), Usage: "schema version: 3, 3.0, 3.1, 3.2 or 4.1"},
		},
		Action: runSchema,
	}
}

// parseSchema returns the schema version asked for.
func parseSchema(c *cli.Context) (manifest.SchemaVersion, error) {
	if c.Args().Present() {
		return "", usageErrorf("schema takes no arguments, found %q (use --schema-version)", c.Args().First())
	}
	v, err := manifest.ParseSchemaVersion(c.String("schema-version"))
	if err != nil {
		return "", usageErrorf("--schema-version: %v", err)
	}
	return v, nil
}

func runSchema(c *cli.Context) error {
	v, err := parseSchema(c)
	if err != nil {
		return err
	}
	src, err := schema.Source(v)
	if err != nil {
		return err
	}
	_, err = envOf(c).Stdout.Write(src)
	return err
}
