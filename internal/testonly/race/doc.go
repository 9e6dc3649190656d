// Package race says whether the race detector is built in, for tests that
// count allocations (it adds its own) and skip their assertion under it;
// make test runs those tests again without it.
package race
