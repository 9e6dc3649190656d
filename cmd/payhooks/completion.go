package main

import (
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate/report"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// runCompletion prints a completion script for bash, zsh or fish, made
// from the command table and each command's own flags.
func runCompletion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 1 && isHelp(args[0]) {
		fmt.Fprint(stdout, completionUsage)
		return exitOK
	}
	if len(args) != 1 {
		fmt.Fprint(stderr, completionUsage)
		return exitCantRun
	}
	c := newCompletions()
	switch args[0] {
	case "bash":
		fmt.Fprint(stdout, c.bash())
	case "zsh":
		fmt.Fprint(stdout, "#compdef payhooks\nautoload -U +X bashcompinit && bashcompinit\n"+c.bash())
	case "fish":
		fmt.Fprint(stdout, c.fish())
	default:
		fmt.Fprintf(stderr, "payhooks completion: unknown shell %q (want bash, zsh or fish)\n", args[0])
		return exitCantRun
	}
	return exitOK
}

const completionUsage = `Usage: payhooks completion bash|zsh|fish

Prints a completion script: commands, flags, the values of flags that take
a fixed set (formats, severities, the bundled providers and events), and
files elsewhere. Load it in the current shell with
	source <(payhooks completion bash)      # bash, zsh
	payhooks completion fish | source       # fish
or write it where your shell looks for completions.
`

// completions is what the scripts offer, by command path ("", "schemas",
// "schemas export", "help"): the subcommands that may follow, the flags,
// which of them take a value, and the values a flag takes.
type completions struct {
	subs, flags, valued map[string][]string
	values              map[string][]string // "validate -format" → text, json, …
}

func newCompletions() completions {
	c := completions{subs: map[string][]string{}, flags: map[string][]string{}, valued: map[string][]string{}, values: map[string][]string{}}
	known := flagValues()
	for _, cmd := range commandTable() {
		parts := strings.Fields(cmd.name)
		for i := range parts {
			parent := strings.Join(parts[:i], " ")
			if !slices.Contains(c.subs[parent], parts[i]) {
				c.subs[parent] = append(c.subs[parent], parts[i])
			}
		}
		fl := flagsOf(cmd)
		if fl == nil {
			continue
		}
		fl.VisitAll(func(f *flag.Flag) {
			c.flags[cmd.name] = append(c.flags[cmd.name], "-"+f.Name)
			if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
				return
			}
			c.valued[cmd.name] = append(c.valued[cmd.name], "-"+f.Name)
			if v, ok := known[cmd.name+" -"+f.Name]; ok {
				c.values[cmd.name+" -"+f.Name] = v
			} else if v, ok := known["* -"+f.Name]; ok {
				c.values[cmd.name+" -"+f.Name] = v
			}
		})
	}
	// "payhooks help COMMAND": the commands, as after payhooks itself.
	for path, subs := range maps.Clone(c.subs) {
		c.subs[strings.TrimSpace("help "+path)] = slices.DeleteFunc(slices.Clone(subs), func(s string) bool { return s == "help" })
	}
	return c
}

// flagValues are the values completion offers after a flag, keyed by
// command and flag ("* -flag": every command with that flag), from where
// each command takes them.
func flagValues() map[string][]string {
	var providers, events []string
	if cat, err := catalog.Load(schemas.FS); err == nil {
		for _, p := range cat.Providers {
			providers = append(providers, p.Name)
			for _, e := range p.Events {
				events = append(events, e.Name)
			}
		}
	}
	slices.Sort(events)
	events = slices.Compact(events)
	severities := make([]string, len(drift.Severities))
	for i, s := range drift.Severities {
		severities[i] = string(s)
	}
	return map[string][]string{
		"validate -format": report.Formats, "validate -fail-on": severities, "validate -color": {"auto", "always", "never"},
		"validate -engine": {"fast", "reference"}, "validate -provider": providers, "validate -event": events,
		"send -provider": providers, "send -event": events, "listen -provider": providers, "listen -dedupe": {"memory", "redis://"},
		"generate -providers": providers, "generate -events": events, "schemas diff -format": {"markdown", "json"}, "schemas diff -fail-on": severities,
		"schemas learn -format": {"text", "json", "patch"}, "schemas learn -provider": providers, "schemas learn -event": events,
		"* -signature": webhook.Schemes, "* -hmac-digest": {"sha256", "sha512"}, "* -hmac-encoding": {"hex", "base64"},
		"* -hmac-key": {"raw", "hex", "base64"}, "* -delivery-id": {webhook.BodyDeliveryID},
	}
}

// bash is the bash (and zsh, through bashcompinit) script. It walks the
// words before the cursor: a word that is a subcommand of the path so far
// extends it, a flag that takes a value makes the next word its value, and
// anything else is a positional argument, which changes nothing.
func (c completions) bash() string {
	var b strings.Builder
	b.WriteString("# bash completion for payhooks (payhooks completion bash)\n")
	caseFunc := func(name, arg string, m map[string][]string) {
		fmt.Fprintf(&b, "_payhooks_%s() {\n\tcase \"%s\" in\n", name, arg)
		for _, k := range slices.Sorted(maps.Keys(m)) {
			fmt.Fprintf(&b, "\t%q) echo %q ;;\n", k, strings.Join(m[k], " "))
		}
		b.WriteString("\tesac\n}\n")
	}
	caseFunc("subs", "$1", c.subs)
	caseFunc("flags", "$1", c.flags)
	caseFunc("valued", "$1", c.valued)
	caseFunc("values", "$1 $2", c.values)
	b.WriteString(`_payhooks() {
	local cur=$2 prev=$3 path="" w n=0 skip=0
	for w in "${COMP_WORDS[@]}"; do
		n=$((n + 1))
		[ "$n" -eq 1 ] && continue
		[ "$n" -gt "$COMP_CWORD" ] && break
		if [ "$skip" -eq 1 ]; then
			skip=0
			continue
		fi
		case "$w" in
		-*=*) ;;
		-*) [[ " $(_payhooks_valued "$path") " == *" $w "* ]] && skip=1 ;;
		*) [[ " $(_payhooks_subs "$path") " == *" $w "* ]] && path="${path:+$path }$w" ;;
		esac
	done
	local words
	if [ "$skip" -eq 1 ]; then
		words=$(_payhooks_values "$path" "$prev")
	elif [[ "$cur" == -* ]]; then
		words=$(_payhooks_flags "$path")
	else
		words=$(_payhooks_subs "$path")
	fi
	if [ -n "$words" ]; then
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -o default -F _payhooks payhooks
`)
	return b.String()
}

// fish is the fish script: subcommands after their parent, flags after
// their command, and the values of flags that take a fixed set.
func (c completions) fish() string {
	var b strings.Builder
	b.WriteString("# fish completion for payhooks (payhooks completion fish)\n")
	condition := func(path string) string {
		switch {
		case path == "":
			return "__fish_use_subcommand"
		case strings.HasPrefix(path, "help"):
			return "__fish_seen_subcommand_from help"
		}
		words := strings.Fields(path)
		return "__fish_seen_subcommand_from " + words[len(words)-1]
	}
	for _, path := range slices.Sorted(maps.Keys(c.subs)) {
		for _, w := range c.subs[path] {
			fmt.Fprintf(&b, "complete -c payhooks -f -n '%s' -a %s\n", condition(path), w)
		}
	}
	for _, path := range slices.Sorted(maps.Keys(c.flags)) {
		for _, f := range c.flags[path] {
			name := strings.TrimPrefix(f, "-")
			if values, ok := c.values[path+" "+f]; ok {
				fmt.Fprintf(&b, "complete -c payhooks -n '%s' -o %s -x -a '%s'\n", condition(path), name, strings.Join(values, " "))
			} else if slices.Contains(c.valued[path], f) {
				fmt.Fprintf(&b, "complete -c payhooks -n '%s' -o %s -r\n", condition(path), name)
			} else {
				fmt.Fprintf(&b, "complete -c payhooks -n '%s' -o %s\n", condition(path), name)
			}
		}
	}
	return b.String()
}
