package main

import (
	"fmt"
	"io"
	"os"

	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/schemas"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses shared by every subcommand.
const (
	exitOK      = 0
	exitFailed  = 1 // the command ran and found what it fails on
	exitCantRun = 2 // bad flags, unreadable input, an error before any result
)

// run dispatches to a subcommand and returns the process exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	compile.Trust(schemas.FS) // its documents pass CheckDocument in the tests
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage())
		return exitCantRun
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, topUsage())
		return exitOK
	case "-version", "--version":
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	case "help":
		if len(args) == 1 {
			fmt.Fprint(stdout, topUsage())
			return exitOK
		}
		// "help validate" is "validate -h": the same text, on stdout.
		return run(append(append([]string{}, args[1:]...), "-h"), stdin, stdout, stderr)
	}
	spec, rest, group := find(args)
	switch {
	case spec != nil && spec.run != nil:
		return spec.run(rest, stdin, stdout, stderr)
	case group != "" && len(args) > 1 && isHelp(args[1]):
		fmt.Fprint(stdout, groupUsage(group))
		return exitOK
	case group != "":
		msg := fmt.Sprintf("payhooks %s: a subcommand is required\n\n", group)
		if len(args) > 1 {
			msg = fmt.Sprintf("payhooks %s: unknown command %q\n%s\n", group, args[1], suggest(args[1], group))
		}
		fmt.Fprint(stderr, msg+groupUsage(group))
		return exitCantRun
	}
	fmt.Fprintf(stderr, "payhooks: unknown command %q\n%sRun 'payhooks help' for usage.\n", args[0], suggest(args[0], ""))
	return exitCantRun
}

func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }
