package generated_test

import (
	"bytes"
	"io"
	"log/slog"
	"reflect"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func jsonLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewJSONHandler(w, nil)) }

func ioNopCloser(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

func typeName(v any) string { return reflect.TypeOf(v).Elem().Name() }
