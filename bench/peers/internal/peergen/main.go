// Command peergen regenerates the peers' code in bench/peers/oapi: for
// every provider payhooks bundles, the models oapi-codegen generates from
// the OpenAPI 3.1 document `payhooks schemas export` writes (every schema
// kept, numbers as float64, the way a team decoding money with
// oapi-codegen configures it), easyjson's decoders over those structs, a
// go-faster/jx decoder over the same structs written as ogen generates its
// own (jxgen.go), and the table from each event's name to its struct
// (events.gen.go). Run it with go generate in bench/peers; every tool runs
// at the version bench/peers/go.mod pins (its tool lines), so nothing is
// installed by hand.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "peergen:", err)
		os.Exit(1)
	}
}

// outDir is where the peers' packages go, one per provider.
const outDir = "oapi"

func run() error {
	tmp, err := os.MkdirTemp("", "peergen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	export := filepath.Join(tmp, "export")
	if err := command("../..", "go", "run", "./cmd/payhooks", "schemas", "export", "-out", export); err != nil {
		return err
	}
	var index struct {
		Providers []struct {
			Name    string `json:"name"`
			OpenAPI string `json:"openapi"`
		} `json:"providers"`
	}
	data, err := os.ReadFile(filepath.Join(export, "index.json"))
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &index); err != nil {
		return fmt.Errorf("index.json: %w", err)
	}
	if err := os.RemoveAll(outDir); err != nil {
		return err
	}
	for _, p := range index.Providers {
		if err := provider(tmp, p.Name, filepath.Join(export, p.OpenAPI)); err != nil {
			return fmt.Errorf("provider %q: %w", p.Name, err)
		}
	}
	return nil
}

// config is oapi-codegen's configuration: models only, every schema kept
// (a document of webhooks alone has no operation that would keep them),
// numbers as float64 rather than oapi-codegen's default float32.
const config = `package: %s
generate:
  models: true
output-options:
  skip-prune: true
  type-mapping:
    number:
      default:
        type: float64
output: %s
`

func provider(tmp, name, openapi string) error {
	dir := filepath.Join(outDir, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	models := filepath.Join(dir, "models.gen.go")
	cfg := filepath.Join(tmp, name+".yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, config, name, models), 0o644); err != nil {
		return err
	}
	if err := command(".", "go", "tool", "oapi-codegen", "-config", cfg, openapi); err != nil {
		return err
	}
	src, err := os.ReadFile(models)
	if err != nil {
		return err
	}
	pkg, err := parseModels(name, src)
	if err != nil {
		return err
	}
	if err := writeGo(models, skipCustomDecoders(src, pkg)); err != nil {
		return err
	}
	doc, err := os.ReadFile(openapi)
	if err != nil {
		return err
	}
	events, err := eventsFile(pkg, doc)
	if err != nil {
		return err
	}
	if err := writeGo(filepath.Join(dir, "events.gen.go"), events); err != nil {
		return err
	}
	if err := writeGo(filepath.Join(dir, "jx.gen.go"), jxFile(pkg)); err != nil {
		return err
	}
	// easyjson builds the package to read its types, so it runs last, and
	// with -no_std_marshalers: encoding/json must stay the reflection-based
	// baseline on the same structs.
	return command(".", "go", "tool", "easyjson", "-all", "-no_std_marshalers", "-output_filename", filepath.Join(dir, "models_easyjson.go"), models)
}

// skipCustomDecoders marks with easyjson's skip directive every struct
// that oapi-codegen gives an UnmarshalJSON of its own (unions, objects
// with additionalProperties): easyjson -all would otherwise write a
// decoder of their Go fields and call it instead.
func skipCustomDecoders(src []byte, pkg *models) []byte {
	out := string(src)
	for _, name := range pkg.order {
		if t := pkg.types[name]; t.custom {
			re := regexp.MustCompile(`(?m)^type ` + name + ` struct \{`)
			out = re.ReplaceAllLiteralString(out, "//easyjson:skip\ntype "+name+" struct {")
		}
	}
	return []byte(out)
}

func command(dir, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s %s: %w", name, strings.Join(args, " "), err)
	}
	return nil
}
