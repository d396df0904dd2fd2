package main

import (
	"strings"
	"testing"
)

func TestLoadConfig_ObservatoryK(t *testing.T) {
	for _, tc := range []struct {
		k  string
		ok bool
	}{{"", true}, {"5", true}, {"25", true}, {"4", false}, {"1", false}, {"0", false}, {"ten", false}} {
		cfg, err := LoadConfig(func(name string) string {
			if name == "SANKOFA_OBSERVATORY_K" {
				return tc.k
			}
			return ""
		})
		if (err == nil) != tc.ok {
			t.Errorf("SANKOFA_OBSERVATORY_K=%q: %v", tc.k, err)
		}
		if err != nil && !strings.Contains(err.Error(), "SANKOFA_OBSERVATORY_K") {
			t.Errorf("SANKOFA_OBSERVATORY_K=%q: the error does not name the setting: %v", tc.k, err)
		}
		if tc.ok && tc.k == "" && cfg.ObservatoryK != 10 {
			t.Errorf("default k = %d, want 10", cfg.ObservatoryK)
		}
	}
}
