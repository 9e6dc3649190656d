package main

import (
	"fmt"
	"io"
	"os"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

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
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitCantRun
	}
	switch args[0] {
	case "validate":
		return runValidate(args[1:], stdin, stdout, stderr)
	case "generate":
		return runGenerate(args[1:], stdout, stderr)
	case "listen":
		return runListen(args[1:], stdout, stderr)
	case "send":
		return runSend(args[1:], stdout, stderr)
	case "schemas":
		return runSchemas(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, "payhooks", version)
		return exitOK
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "payhooks: unknown command %q\n\n%s", args[0], usage)
	return exitCantRun
}

const usage = `payhooks turns webhook schemas into Go and catches provider drift.

Usage:

	payhooks generate [flags]           generate Go types from the schemas
	payhooks validate [flags] PATH...   check payloads against the schemas
	payhooks listen [flags]             receive and capture deliveries
	payhooks send [flags] URL           send signed example or captured deliveries
	payhooks schemas export -out DIR    publish the schemas for other languages
	payhooks schemas diff OLD NEW       classify the changes between two bundles
	payhooks version                    print the version

Run "payhooks COMMAND -h" for a command's flags.
`
