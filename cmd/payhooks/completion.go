package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
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
	words := completionWords()
	switch args[0] {
	case "bash":
		fmt.Fprint(stdout, bashCompletion(words))
	case "zsh":
		fmt.Fprint(stdout, "#compdef payhooks\nautoload -U +X bashcompinit && bashcompinit\n"+bashCompletion(words))
	case "fish":
		fmt.Fprint(stdout, fishCompletion(words))
	default:
		fmt.Fprintf(stderr, "payhooks completion: unknown shell %q (want bash, zsh or fish)\n", args[0])
		return exitCantRun
	}
	return exitOK
}

const completionUsage = `Usage: payhooks completion bash|zsh|fish

Prints a completion script. Load it in the current shell with
	source <(payhooks completion bash)      # bash, zsh
	payhooks completion fish | source       # fish
or write it where your shell looks for completions.
`

// completionWords maps each command path ("", "schemas",
// "schemas export") to the words that may follow it: subcommands or flags.
func completionWords() map[string][]string {
	words := map[string][]string{}
	for _, c := range commandTable() {
		parts := strings.Fields(c.name)
		for i := range parts {
			parent := strings.Join(parts[:i], " ")
			if !slices.Contains(words[parent], parts[i]) {
				words[parent] = append(words[parent], parts[i])
			}
		}
		if fl := flagsOf(c); fl != nil {
			fl.VisitAll(func(f *flag.Flag) { words[c.name] = append(words[c.name], "-"+f.Name) })
		}
	}
	return words
}

func bashCompletion(words map[string][]string) string {
	var b strings.Builder
	b.WriteString("# bash completion for payhooks (payhooks completion bash)\n_payhooks() {\n")
	b.WriteString("\tlocal cur=${COMP_WORDS[COMP_CWORD]} path=\"\" w\n")
	b.WriteString("\tfor w in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do\n\t\tcase \"$w\" in -*) ;; *) path=\"${path:+$path }$w\" ;; esac\n\tdone\n")
	b.WriteString("\tcase \"$path\" in\n")
	for _, key := range sortedWordKeys(words) {
		fmt.Fprintf(&b, "\t%q) COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", key, strings.Join(words[key], " "))
	}
	b.WriteString("\t*) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n\tesac\n}\ncomplete -o default -F _payhooks payhooks\n")
	return b.String()
}

func fishCompletion(words map[string][]string) string {
	var b strings.Builder
	b.WriteString("# fish completion for payhooks (payhooks completion fish)\n")
	for _, key := range sortedWordKeys(words) {
		condition := "__fish_use_subcommand"
		if key != "" {
			condition = "__fish_seen_subcommand_from " + strings.Fields(key)[len(strings.Fields(key))-1]
		}
		for _, w := range words[key] {
			if name, isFlag := strings.CutPrefix(w, "-"); isFlag {
				fmt.Fprintf(&b, "complete -c payhooks -n '%s' -o %s\n", condition, name)
			} else {
				fmt.Fprintf(&b, "complete -c payhooks -f -n '%s' -a %s\n", condition, w)
			}
		}
	}
	return b.String()
}

func sortedWordKeys(words map[string][]string) []string {
	keys := make([]string, 0, len(words))
	for k := range words {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
