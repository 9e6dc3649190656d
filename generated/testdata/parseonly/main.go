// Command parseonly decodes a Finmo delivery from a file with Parse alone:
// TestParseOnlyLinksNoSchemaCompiling builds it to see what it links.
package main

import (
	"fmt"
	"os"

	"github.com/payhooks/payhooks/generated/finmo"
)

func main() {
	body, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	event, err := finmo.Parse(body)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(event.Name())
}
