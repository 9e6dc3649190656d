package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// An event's files (events/<base>.json, examples/<base>.json, an exported
// bundle's events/<base>.json) are named after the event when its name can
// name a file everywhere: on every operating system Go builds on, in a Go
// module and in a go:embed line, which generated packages use to carry
// their schemas. Any other name (a:b, CON, "..", ~, a name with a space or
// a slash) gets a readable prefix and a hash of the exact name instead.

// maxPlainName bounds a name used as it is.
const maxPlainName = 100

// FileBase is the file name, without ".json", of an event's files.
func FileBase(event string) string {
	if plainName(event) {
		return event
	}
	return HashedBase(event)
}

// FileBases names the files of a provider's events: FileBase each, except
// that names one case-insensitive file system would take for one
// (Paid and paid) are all hashed.
func FileBases(events []string) map[string]string {
	folded := map[string]int{}
	for _, e := range events {
		folded[strings.ToLower(FileBase(e))]++
	}
	out := make(map[string]string, len(events))
	for _, e := range events {
		base := FileBase(e)
		if folded[strings.ToLower(base)] > 1 {
			base = HashedBase(e)
		}
		out[e] = base
	}
	return out
}

// HashedBase is a name's readable prefix (lower-case letters, digits, "_"
// and "-"; every other byte "_") and a hash of its exact bytes after a "~",
// which no plain name holds: "a_b~<32 hex digits>".
func HashedBase(name string) string {
	var b strings.Builder
	for i := 0; i < len(name) && b.Len() < 40; i++ {
		switch c := name[i]; {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_':
			b.WriteByte(c)
		default:
			b.WriteByte('_')
		}
	}
	prefix := strings.Trim(b.String(), "_-")
	if prefix == "" {
		prefix = "x"
	}
	sum := sha256.Sum256([]byte(name))
	return prefix + "~" + hex.EncodeToString(sum[:16])
}

// plainName reports whether a name can stand as a file name as it is:
// 1 to 100 ASCII letters, digits, ".", "_" and "-", starting with a letter
// or digit, and portable (PortableName).
func plainName(name string) bool {
	if name == "" || len(name) > maxPlainName || !isAlnum(name[0]) {
		return false
	}
	for i := 0; i < len(name); i++ {
		if c := name[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return PortableName(name+".json") == nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// windowsReserved are the device names Windows reserves, with any
// extension (con.json is CON), in any case.
var windowsReserved = []string{
	"CON", "PRN", "AUX", "NUL",
	"COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
	"LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
}

// PortableName fails unless name (one path element) can name a file or a
// folder on every operating system Go builds on and in a go:embed line,
// by the rules of golang.org/x/mod's CheckFilePath, which go:embed applies:
// no empty, "." or ".." element, no trailing dot, only letters, digits and
// "!#$%&()+,-.=@]^_{}~ " (not space-terminated), and no device name
// Windows reserves; and no "*?[" or "\", which go:embed reads as a pattern.
func PortableName(name string) error {
	switch {
	case name == "":
		return errors.New("an empty name")
	case strings.Trim(name, ".") == "":
		return fmt.Errorf("%q names a folder itself", name)
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " "):
		return fmt.Errorf("%q ends with a dot or a space, which Windows drops", name)
	}
	for _, r := range name {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$%&()+,-.=@]^_{}~ ", r) || r > 0x7f && unicode.IsLetter(r)
		if !ok {
			return fmt.Errorf("%q holds %q, which some file systems or go:embed refuse", name, r)
		}
	}
	short, _, _ := strings.Cut(name, ".")
	for _, bad := range windowsReserved {
		if strings.EqualFold(short, bad) {
			return fmt.Errorf("%q is a device name on Windows", name)
		}
	}
	return nil
}

// PortablePath checks every element of a slash-separated path.
func PortablePath(p string) error {
	for _, elem := range strings.Split(p, "/") {
		if err := PortableName(elem); err != nil {
			return err
		}
	}
	return nil
}
