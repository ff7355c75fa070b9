package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"
)

// Exit codes (DESIGN.md section 4).
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
	exitRemote   = 3
)

// version is set at build time with -ldflags "-X main.version=v1.2.3";
// otherwise the module version from the build info is used.
var version = ""

func toolVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// errFindings means the command reported findings (exit 1); they are
// already printed.
var errFindings = errors.New("findings reported")

// exitError carries an exit code and a message to print once at the top.
type exitError struct {
	code int
	err  error
	hint string // printed after the message, e.g. the usage line
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// errInterrupted is the error of a command stopped by Ctrl-C (context
// cancellation) when it decides that this is exit 2: validate and fmt,
// whose output is then incomplete. A command that can report what it
// finished (audit) decides otherwise.
var errInterrupted = &exitError{code: exitUsage, err: errors.New("interrupted")}

// usageErrorf reports a usage problem: a bad flag or argument (exit 2).
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// inputError reports an input problem: an unreadable file (exit 2).
func inputError(err error) error {
	return &exitError{code: exitUsage, err: err}
}

// commands lists every subcommand; each lives in its own file.
func commands() []*cli.Command {
	return []*cli.Command{
		validateCommand(),
		rulesCommand(),
		schemaCommand(),
		permissionsCommand(),
		initCommand(),
		fmtCommand(),
		diffCommand(),
		versionCommand(),
		migrateCommand(),
		completionCommand(),
		sandboxCommand(),
		auditCommand(),
		loginCommand(),
		logoutCommand(),
		accessCommand(),
	}
}

func newApp(stdin io.Reader, stdout, stderr io.Writer) *cli.App {
	return newAppEnv((&env{Stdin: stdin, Stdout: stdout, Stderr: stderr}).fill())
}

// newAppEnv builds the command tree over an environment.
func newAppEnv(e *env) *cli.App {
	stdin, stdout, stderr := e.Stdin, e.Stdout, e.Stderr
	app := &cli.App{
		Name:    "manifestctl",
		Usage:   "build, validate, version and audit Procore App Manifests",
		Version: toolVersion(),
		Description: "manifestctl treats a Procore App Manifest as code: validated in pre-commit hooks and CI,\n" +
			"versioned and diffed at release, and audited against what the service account can really reach.",
		Commands:             commands(),
		Reader:               stdin,
		Writer:               stdout,
		ErrWriter:            stderr,
		EnableBashCompletion: true,
		HideHelpCommand:      false,
		// Errors are printed once, by run, and mapped to exit codes there.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError: func(c *cli.Context, err error, isSub bool) error {
			return &exitError{code: exitUsage, err: typedFlagError(c, err), hint: usageHint(c)}
		},
	}
	app.Metadata = map[string]any{envKey: e}
	setUsageErrors(app.Commands)
	return app
}

func usageHint(c *cli.Context) string {
	if name := commandPath(c); name != "" {
		return fmt.Sprintf("run \"manifestctl %s --help\" for usage", name)
	}
	return "run \"manifestctl help\" for usage"
}

// commandPath is the whole name of the command c runs ("permissions set"),
// "" for the program itself. (urfave/cli v2's Command.FullName gives only
// the last name.)
func commandPath(c *cli.Context) string {
	var names []string
	var last *cli.Command
	for _, x := range c.Lineage() {
		if x.Command == nil || x.Command.Name == "" || x.Command == last || x.Command.Name == c.App.Name {
			continue
		}
		last = x.Command
		names = append([]string{x.Command.Name}, names...)
	}
	return strings.Join(names, " ")
}

func setUsageErrors(cmds []*cli.Command) {
	for _, cmd := range cmds {
		if cmd.OnUsageError == nil {
			cmd.OnUsageError = func(c *cli.Context, err error, isSub bool) error {
				return &exitError{code: exitUsage, err: typedFlagError(c, err), hint: usageHint(c)}
			}
		}
		setUsageErrors(cmd.Subcommands)
	}
}

// argsKey holds the command line as typed, in the app's Metadata.
const argsKey = "manifestctl.args"

// flagErrorName finds the flag name in the flag package's messages
// ("flag provided but not defined: -format", "invalid value \"x\" for flag
// -jobs: ...").
var flagErrorName = regexp.MustCompile(`(: | flag )-([^\s:=]+)`)

// typedFlagError rewrites the flag package's "-name" as the user typed the
// flag ("--name" or "-name"), so that the message quotes the command line.
func typedFlagError(c *cli.Context, err error) error {
	if c == nil || c.App == nil || err == nil {
		return err
	}
	typed, _ := c.App.Metadata[argsKey].([]string)
	m := flagErrorName.FindStringSubmatchIndex(err.Error())
	if m == nil {
		return err
	}
	msg := err.Error()
	name := msg[m[4]:m[5]]
	for _, a := range typed {
		if a == "--" {
			break
		}
		if a == "--"+name || strings.HasPrefix(a, "--"+name+"=") {
			return errors.New(msg[:m[4]-1] + "--" + msg[m[4]:])
		}
	}
	return err
}

// run is the whole program with the process's environment; main only
// exits with its result.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	e := osEnv()
	e.Stdin, e.Stdout, e.Stderr = stdin, stdout, stderr
	return runEnv(ctx, e, args)
}

// runEnv runs the program in an environment until ctx is cancelled
// (Ctrl-C); each command decides what cancellation means for its exit
// code.
func runEnv(ctx context.Context, e *env, args []string) int {
	e.fill()
	stderr := e.Stderr
	app := newAppEnv(e)
	// An unknown command is a usage error (exit 2); urfave/cli only calls
	// this hook and returns no error.
	notFound := false
	app.CommandNotFound = func(c *cli.Context, name string) {
		notFound = true
		fmt.Fprintf(c.App.ErrWriter, "manifestctl: unknown command %q (run \"manifestctl help\")\n", name)
	}
	if len(args) > 0 && args[len(args)-1] == completeFlag {
		writeCompletions(app, args[:len(args)-1], e.Stdout)
		return exitOK
	}
	app.Metadata[argsKey] = args
	err := app.RunContext(ctx, reorderArgs(app, args))
	if notFound {
		return exitUsage
	}
	return exitCode(err, stderr)
}

// exitCode prints err once and maps it to an exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errFindings) {
		return exitFindings
	}
	var ee *exitError
	if errors.As(err, &ee) {
		fmt.Fprintf(stderr, "manifestctl: %v\n", ee.err)
		if ee.hint != "" {
			fmt.Fprintln(stderr, ee.hint)
		}
		return ee.code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stderr, "manifestctl: interrupted")
		return exitUsage
	}
	// Anything urfave/cli returns by itself (a bad flag, a missing
	// argument) is a usage problem.
	fmt.Fprintf(stderr, "manifestctl: %v\n", err)
	return exitUsage
}

// reorderArgs lets flags come after positional arguments
// ("manifestctl validate app.json --format json"): urfave/cli v2 stops
// parsing flags at the first positional argument, so for the command being
// run, flags (and their values) are moved before the positionals. "--"
// ends flag parsing as usual. --help (or -h) anywhere before "--" asks for
// the help of the command named so far: the rest of the line is dropped,
// as urfave/cli would otherwise read the first argument as a command name.
func reorderArgs(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	out := []string{args[0]}
	rest := args[1:]
	// Global flags come first.
	flags := app.Flags
	cmds := app.Commands
	for len(rest) > 0 && strings.HasPrefix(rest[0], "-") && rest[0] != "-" {
		out = append(out, rest[0])
		rest = rest[1:]
	}
	// Walk down the command path. Flags given before a subcommand
	// ("rules --format json list") go with the subcommand, which has its
	// own copy of them.
	var carried []string
	for len(rest) > 0 {
		cmd := findCommand(cmds, rest[0])
		if cmd == nil {
			break
		}
		out = append(out, rest[0])
		rest = rest[1:]
		flags, cmds = cmd.Flags, cmd.Subcommands
		if len(cmds) == 0 || len(rest) == 0 {
			break
		}
		if strings.HasPrefix(rest[0], "-") {
			i := 0
			for i < len(rest) && strings.HasPrefix(rest[i], "-") && rest[i] != "-" && rest[i] != "--" {
				name := strings.TrimLeft(rest[i], "-")
				if !strings.Contains(name, "=") && (takesValue(flags, name) || subTakesValue(cmds, name)) && i+1 < len(rest) {
					i++
				}
				i++
			}
			if i == len(rest) || findCommand(cmds, rest[i]) == nil {
				break
			}
			carried = append(carried, rest[:i]...)
			rest = rest[i:]
		}
	}
	rest = append(carried, rest...)
	if flags == nil {
		for _, a := range rest {
			if a == "--" {
				break
			}
			if a == "--help" || a == "-h" || a == "-help" {
				return append(out, "--help")
			}
		}
		return append(out, rest...)
	}
	var fl, pos []string
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		if a == "--" {
			pos = append(pos, rest[i:]...)
			break
		}
		if a == "--help" || a == "-h" || a == "-help" {
			return append(out, "--help")
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			pos = append(pos, a)
			continue
		}
		fl = append(fl, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if takesValue(flags, name) {
			if i+1 == len(rest) {
				// The value is missing: let the flag package say so
				// rather than read "--" as the value.
				return append(out, fl...)
			}
			i++
			fl = append(fl, rest[i])
		}
	}
	out = append(out, fl...)
	if len(pos) > 0 && pos[0] != "--" {
		out = append(out, "--")
	}
	return append(out, pos...)
}

func findCommand(cmds []*cli.Command, name string) *cli.Command {
	for _, c := range cmds {
		if c.HasName(name) {
			return c
		}
	}
	return nil
}

// subTakesValue reports whether a flag name of one of cmds takes a value.
func subTakesValue(cmds []*cli.Command, name string) bool {
	for _, c := range cmds {
		if takesValue(c.Flags, name) {
			return true
		}
	}
	return false
}

func takesValue(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n != name {
				continue
			}
			if _, ok := f.(*cli.BoolFlag); ok {
				return false
			}
			return true
		}
	}
	return false
}
