// Package words writes counts for people: "1 payload", "2 payloads".
package words

import "strconv"

// Count is n with the singular or the plural noun.
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
