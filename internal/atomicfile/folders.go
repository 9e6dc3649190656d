package atomicfile

import (
	"maps"
	"slices"
	"strings"
)

// ReplaceFolders writes files (slash paths inside d) folder by folder:
// the files under each first path segment by one ReplaceFolder of that
// folder, then the files at d's top level in path order, last (when files
// holds it) after every other, for an index that lists the folders: a
// reader that finds it finds what it lists. stale names the paths inside d
// that payhooks wrote earlier and that go when files does not hold them;
// a folder that only they name is replaced too.
func (d *Dir) ReplaceFolders(files map[string][]byte, stale map[string]bool, last string) error {
	folders := map[string]map[string][]byte{}
	for p := range stale {
		if folder, _, ok := strings.Cut(p, "/"); ok {
			folders[folder] = map[string][]byte{}
		}
	}
	var top []string
	for p, data := range files {
		folder, rel, ok := strings.Cut(p, "/")
		if !ok {
			if p != last {
				top = append(top, p)
			}
			continue
		}
		if folders[folder] == nil {
			folders[folder] = map[string][]byte{}
		}
		folders[folder][rel] = data
	}
	for _, folder := range slices.Sorted(maps.Keys(folders)) {
		var wroteEarlier func(rel string) bool
		if stale != nil {
			wroteEarlier = func(rel string) bool { return stale[folder+"/"+rel] }
		}
		if _, err := d.ReplaceFolder(folder, folders[folder], wroteEarlier); err != nil {
			return err
		}
	}
	slices.Sort(top)
	if _, ok := files[last]; ok {
		top = append(top, last)
	}
	for _, p := range top {
		if err := d.WriteFile(p, files[p]); err != nil {
			return err
		}
	}
	return nil
}
