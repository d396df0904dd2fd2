package console_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sankofa/console"
)

// langs are the console's languages; English is the reference.
var langs = []string{"en", "fr", "pt"}

// catalogues reads static/i18n/<lang>.json, flattened to dotted keys as
// i18n.js does. It skips the test while the folder does not exist.
func catalogues(t *testing.T) map[string]map[string]string {
	t.Helper()
	root := console.Files()
	if _, err := fs.Stat(root, "i18n"); errors.Is(err, fs.ErrNotExist) {
		t.Skip("no static/i18n yet")
	}
	out := map[string]map[string]string{}
	for _, l := range langs {
		b, err := fs.ReadFile(root, "i18n/"+l+".json")
		if err != nil {
			t.Fatal(err)
		}
		var tree map[string]any
		if err := json.Unmarshal(b, &tree); err != nil {
			t.Fatalf("i18n/%s.json: %v", l, err)
		}
		flat := map[string]string{}
		if err := flatten(tree, "", flat); err != nil {
			t.Fatalf("i18n/%s.json: %v", l, err)
		}
		out[l] = flat
	}
	return out
}

func flatten(tree map[string]any, prefix string, out map[string]string) error {
	for k, v := range tree {
		key := k
		if prefix != "" {
			key = prefix + "." + k
		}
		switch v := v.(type) {
		case string:
			out[key] = v
		case map[string]any:
			if err := flatten(v, key, out); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%s: a %T, not a string or an object", key, v)
		}
	}
	return nil
}

var placeholderRe = regexp.MustCompile(`\{(\w+)\}`)

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestConsole_Catalogues: the three catalogues have the same keys, no
// empty string, and the same {placeholders} in each translation.
func TestConsole_Catalogues(t *testing.T) {
	cats := catalogues(t)
	en := cats["en"]
	if len(en) == 0 {
		t.Fatal("i18n/en.json is empty")
	}
	for _, l := range langs {
		for _, k := range slices.Sorted(maps.Keys(cats[l])) {
			if strings.TrimSpace(cats[l][k]) == "" {
				t.Errorf("%s: %s is empty", l, k)
			}
		}
		if l == "en" {
			continue
		}
		for _, k := range slices.Sorted(maps.Keys(en)) {
			v, ok := cats[l][k]
			if !ok {
				t.Errorf("%s lacks %s (en: %q)", l, k, en[k])
				continue
			}
			if want, got := placeholders(en[k]), placeholders(v); !slices.Equal(want, got) {
				t.Errorf("%s: %s has placeholders %v, en has %v", l, k, got, want)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(cats[l])) {
			if _, ok := en[k]; !ok {
				t.Errorf("%s has %s, which en lacks", l, k)
			}
		}
	}
}

// tCallRe finds t('key'), t("key") and t(`key`) with a literal key; keys
// built at run time (t(`a.${b}`), tEnum) cannot be checked here.
var tCallRe = regexp.MustCompile("\\bt\\(\\s*(?:'([^'\\n]*)'|\"([^\"\\n]*)\"|`([^`]*)`)")

// TestConsole_CatalogueKeys: every literal key the modules look up is in
// the catalogues (a missing one renders as ⟦key⟧). Keys no module names
// literally are logged, not failed: some are built at run time.
func TestConsole_CatalogueKeys(t *testing.T) {
	en := catalogues(t)["en"]
	root := console.Files()
	used := map[string]bool{}
	err := fs.WalkDir(root, "js", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".js" {
			return err
		}
		src, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		for _, m := range tCallRe.FindAllSubmatch(src, -1) {
			key := string(m[1]) + string(m[2]) + string(m[3])
			if strings.Contains(key, "${") {
				continue
			}
			used[key] = true
			if _, ok := en[key]; !ok {
				t.Errorf("%s: t(%q) is not in the catalogues", p, key)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(used) == 0 {
		t.Fatal("no t('key') call found under static/js")
	}
	var unused []string
	for _, k := range slices.Sorted(maps.Keys(en)) {
		if !used[k] {
			unused = append(unused, k)
		}
	}
	if len(unused) > 0 {
		t.Logf("warning: %d of %d keys are not named literally in t(...) (built at run time, or unused): %s",
			len(unused), len(en), strings.Join(unused, ", "))
	}
}
