//go:build race

// Package race says whether the race detector is built in, for tests that
// count allocations (it adds its own) and skip their assertion under it.
package race

// Enabled is true in a build with -race.
const Enabled = true
