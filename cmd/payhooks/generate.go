package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/generator/emit"
	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/internal/catalog"
)

func runGenerate(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks generate", "Usage: payhooks generate [flags]\n\nGenerates Go types, one package per provider, from webhook schemas.\n\n", stdout, stderr)
	fl := cmd.fl
	schemaDir := fl.String("schemas", "", "folder of schemas (default: the bundled ones)")
	out := fl.String("out", "generated", "folder to write one package per provider into")
	pkg := fl.String("package", "", "Go package name, when generating one provider (default: the provider's folder name)")
	providers := fl.String("providers", "", "comma-separated providers to generate (default: all)")
	check := fl.Bool("check", false, "write nothing; exit 1 and print a diff when the output would change")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if len(cmd.args) > 0 {
		return fail("unexpected arguments %q", cmd.args)
	}
	if *pkg != "" {
		if err := load.CheckPackageName(*pkg); err != nil {
			return fail("-package: %v", err)
		}
	}
	fsys, err := schemaFolder(*schemaDir)
	if err != nil {
		return fail("-schemas: %v", err)
	}
	var only []string
	if *providers != "" {
		cat, err := catalog.Load(fsys)
		if err != nil {
			fmt.Fprintf(stderr, "payhooks generate: %v\n", err)
			return exitFailed
		}
		only = strings.Split(*providers, ",")
		for _, name := range only {
			if cat.Provider(name) == nil {
				return fail("-providers: %v", unknownProvider(cat, name))
			}
		}
	}
	files, err := generator.Generate(fsys, generator.Options{Providers: only, Package: *pkg})
	if err != nil {
		fmt.Fprintf(stderr, "payhooks generate: %v\n", err)
		return exitFailed
	}
	changes, err := plan(*out, files)
	if err != nil {
		return fail("%v", err)
	}
	if *check {
		if len(changes) == 0 {
			return exitOK
		}
		for _, c := range changes {
			fmt.Fprint(stdout, c.diff())
		}
		fmt.Fprintf(stderr, "payhooks generate: stale generated files: %d would change; run: %s\n", len(changes), rerunWithout(args, "-check"))
		return exitFailed
	}
	for _, c := range changes {
		if err := c.apply(); err != nil {
			return fail("%v", err)
		}
	}
	fmt.Fprintf(stdout, "payhooks generate: %d files in %s, %d changed\n", len(files), *out, len(changes))
	return exitOK
}

// rerunWithout is the command line that was run, without flag, quoted
// for a shell: the command that makes the output fresh.
func rerunWithout(args []string, flag string) string {
	words := []string{"payhooks", "generate"}
	for _, a := range args {
		if a == flag || a == "-"+flag || strings.HasPrefix(a, flag+"=") || strings.HasPrefix(a, "-"+flag+"=") {
			continue
		}
		words = append(words, shellQuote(a))
	}
	return strings.Join(words, " ")
}

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// change is one file to write or remove.
type change struct {
	path     string
	old, new []byte
	remove   bool
}

// plan compares the generated files with what out holds: new and changed
// files, and files payhooks generated earlier in the same package folders
// that it no longer produces.
func plan(out string, files map[string][]byte) ([]change, error) {
	var changes []change
	dirs := map[string]bool{}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
		dirs[filepath.Dir(filepath.Join(out, name))] = true
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(out, name)
		old, err := os.ReadFile(p)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		if !bytes.Equal(old, files[name]) {
			changes = append(changes, change{path: p, old: old, new: files[name]})
		}
	}
	// In each package's schema folder, payhooks removes only what it can
	// prove it wrote: the files the package's current schemas.go embeds.
	for name := range files {
		pkgDir := filepath.Join(out, strings.SplitN(name, "/", 2)[0])
		if dirs[pkgDir+"/"] {
			continue
		}
		dirs[pkgDir+"/"] = true
		written, err := embeddedSchemas(filepath.Join(pkgDir, "schemas.go"))
		if err != nil {
			return nil, err
		}
		for _, p := range written {
			rel, _ := filepath.Rel(out, filepath.Join(pkgDir, filepath.FromSlash(p)))
			if _, ours := files[filepath.ToSlash(rel)]; ours {
				continue
			}
			full := filepath.Join(pkgDir, filepath.FromSlash(p))
			if old, err := os.ReadFile(full); err == nil {
				changes = append(changes, change{path: full, old: old, remove: true})
			}
		}
	}
	sortedDirs := make([]string, 0, len(dirs))
	for d := range dirs {
		sortedDirs = append(sortedDirs, d)
	}
	sort.Strings(sortedDirs)
	for _, dir := range sortedDirs {
		if strings.HasSuffix(dir, "/") {
			continue // a package's schema folder, handled above
		}
		entries, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			rel, _ := filepath.Rel(out, p)
			if _, ours := files[filepath.ToSlash(rel)]; ours || e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
				continue
			}
			old, err := os.ReadFile(p)
			if err == nil && bytes.HasPrefix(old, []byte(emit.GeneratedMarker)) {
				changes = append(changes, change{path: p, old: old, remove: true})
			}
		}
	}
	return changes, nil
}

// embeddedSchemas reads the schema files a generated schemas.go embeds, as
// paths relative to its folder: the files payhooks wrote there. A missing
// file, or one payhooks did not generate, records none.
func embeddedSchemas(schemasGo string) ([]string, error) {
	data, err := os.ReadFile(schemasGo)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(emit.GeneratedMarker)) {
		return nil, nil
	}
	var paths []string
	for _, line := range strings.Split(string(data), "\n") {
		quoted, ok := strings.CutPrefix(line, emit.EmbedDirective)
		if !ok {
			continue
		}
		p, err := strconv.Unquote(quoted)
		// Only a plain path inside the schema folder: a hand-edited line
		// must not send generate elsewhere.
		if err != nil || !strings.HasPrefix(p, emit.SchemaDir+"/") || !fs.ValidPath(p) {
			continue
		}
		paths = append(paths, p)
	}
	return paths, nil
}

func (c change) apply() error {
	if c.remove {
		return os.Remove(c.path)
	}
	if err := os.MkdirAll(filepath.Dir(c.path), 0o755); err != nil {
		return err
	}
	return writeFileAtomic(c.path, func(w io.Writer) error {
		_, err := w.Write(c.new)
		return err
	})
}

// diff shows what would change as a unified diff (pmezard/go-difflib,
// the diff testify prints), the removed file against nothing.
func (c change) diff() string {
	newText := string(c.new)
	if c.remove {
		newText = ""
	}
	d, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(c.old)), B: difflib.SplitLines(newText),
		FromFile: c.path, ToFile: c.path + " (generated)", Context: 3,
	})
	if err != nil {
		return fmt.Sprintf("--- %s\n+++ %s (generated)\n(no diff: %v)\n", c.path, c.path, err)
	}
	return d
}
