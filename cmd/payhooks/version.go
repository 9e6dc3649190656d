package main

import (
	"runtime/debug"
	"strings"
)

// version, when set at build time with -ldflags "-X main.version=…",
// overrides the module version read from the build information.
var version = ""

// versionLine says which payhooks this is, as go version -m would: the
// module version ("(devel)" for a build from a checkout), and the VCS
// revision, its time and whether the tree was modified, when the build
// recorded them.
func versionLine() string {
	line := "payhooks " + moduleVersion()
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return line
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	var parts []string
	if rev := settings["vcs.revision"]; rev != "" {
		parts = append(parts, "revision "+rev)
	}
	if t := settings["vcs.time"]; t != "" {
		parts = append(parts, t)
	}
	if settings["vcs.modified"] == "true" {
		parts = append(parts, "modified")
	}
	if len(parts) > 0 {
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	return line + ", " + info.GoVersion
}

// moduleVersion is the version alone: -ldflags' or the module's.
func moduleVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" {
		return info.Main.Version
	}
	return "(unknown)"
}
