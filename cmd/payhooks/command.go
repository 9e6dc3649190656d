package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/payhooks/payhooks/internal/tooling/safetext"
)

// command is one subcommand's flag set, its positional arguments and its
// error line.
type command struct {
	name   string // "payhooks validate"
	fl     *flag.FlagSet
	stdout io.Writer
	stderr io.Writer
	// args are the positional arguments, wherever they stood among the
	// flags.
	args []string
}

// newCommand starts a subcommand whose -h prints usage, then the flags.
func newCommand(name, usage string, stdout, stderr io.Writer) *command {
	c := &command{name: name, fl: flag.NewFlagSet(name, flag.ContinueOnError), stdout: stdout, stderr: stderr}
	c.fl.Usage = func() {
		fmt.Fprint(c.fl.Output(), usage)
		c.fl.PrintDefaults()
	}
	return c
}

// parse reads the flags, which may stand before, between or after the
// positional arguments (up to "--", after which everything is
// positional), as go and most CLIs allow. done is true when the command must
// stop, with code: 0 after -h (the usage went to stdout), 2 after a bad flag
// (the error and where to find help went to stderr).
func (c *command) parse(args []string) (code int, done bool) {
	if probe, ok := c.stdout.(*flagProbe); ok {
		probe.flags = c.fl
		return exitOK, true
	}
	var errs bytes.Buffer
	c.fl.SetOutput(&errs)
	for {
		err := c.fl.Parse(args)
		switch {
		case errors.Is(err, flag.ErrHelp):
			c.fl.SetOutput(c.stdout)
			c.fl.Usage()
			return exitOK, true
		case err != nil:
			fmt.Fprintf(c.stderr, "%s: %v\nRun '%s -h' for usage.\n", c.name, err, c.name)
			return exitCantRun, true
		}
		rest := c.fl.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			c.args = append(c.args, rest...)
			break
		}
		c.args = append(c.args, rest[0])
		args = rest[1:]
	}
	c.fl.SetOutput(c.stderr)
	return 0, false
}

// fail prints "payhooks <command>: <message>" and returns exit status 2.
func (c *command) fail(format string, a ...any) int {
	printLine(c.stderr, c.name+": "+format, a...)
	return exitCantRun
}

// printLine prints one line that may hold text from input (a file name, an
// event name, a payload's id, an error quoting a document): the one rule
// for every such line of every command is that it goes out escaped by
// package safetext, so no input starts a line of its own or drives the
// terminal.
func printLine(w io.Writer, format string, a ...any) {
	fmt.Fprintln(w, safetext.Escape(fmt.Sprintf(format, a...)))
}

// usage prints the usage to stderr and returns exit status 2.
func (c *command) usage() int {
	c.fl.SetOutput(c.stderr)
	c.fl.Usage()
	return exitCantRun
}

// flagProbe, passed as a command's stdout, makes parse hand over the
// command's flag set and stop: how the completion scripts learn every
// command's flags from the commands themselves.
type flagProbe struct {
	bytes.Buffer
	flags *flag.FlagSet
}
