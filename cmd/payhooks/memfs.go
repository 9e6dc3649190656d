package main

import (
	"io/fs"
	"testing/fstest"
)

// fsOf serves generated files as a file system, for diffing a bundle
// before it is written.
func fsOf(files map[string][]byte) fs.FS {
	m := fstest.MapFS{}
	for name, data := range files {
		m[name] = &fstest.MapFile{Data: data}
	}
	return m
}
