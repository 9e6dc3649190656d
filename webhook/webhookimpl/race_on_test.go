//go:build race

package webhookimpl

const raceEnabled = true
