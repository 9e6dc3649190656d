package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// command is one subcommand's flag set and its error line.
type command struct {
	name   string // "payhooks validate"
	fl     *flag.FlagSet
	stderr io.Writer
}

// newCommand starts a subcommand whose -h prints usage, then the flags.
func newCommand(name, usage string, stderr io.Writer) *command {
	c := &command{name: name, fl: flag.NewFlagSet(name, flag.ContinueOnError), stderr: stderr}
	c.fl.SetOutput(stderr)
	c.fl.Usage = func() {
		fmt.Fprint(stderr, usage)
		c.fl.PrintDefaults()
	}
	return c
}

// parse reads the flags; done is true when the command must stop, with
// code (0 after -h, 2 after bad flags).
func (c *command) parse(args []string) (code int, done bool) {
	if err := c.fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, true
		}
		return exitCantRun, true
	}
	return 0, false
}

// fail prints "payhooks <command>: <message>" and returns exit status 2.
func (c *command) fail(format string, a ...any) int {
	fmt.Fprintf(c.stderr, c.name+": "+format+"\n", a...)
	return exitCantRun
}

// usage prints the usage and returns exit status 2.
func (c *command) usage() int {
	c.fl.Usage()
	return exitCantRun
}
