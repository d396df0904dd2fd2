package api

import (
	"net"
	"net/http/httptest"
	"testing"
)

func TestIPExtractor(t *testing.T) {
	cidrs := func(ss ...string) []*net.IPNet {
		var out []*net.IPNet
		for _, s := range ss {
			_, n, err := net.ParseCIDR(s)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, n)
		}
		return out
	}
	for _, tt := range []struct {
		name    string
		trusted []*net.IPNet
		remote  string
		xff     string
		want    string
	}{
		{"NoProxyIgnoresHeader", nil, "198.51.100.7:5000", "203.0.113.9", "198.51.100.7"},
		{"TrustedProxy", cidrs("10.0.0.0/8"), "10.0.0.2:5000", "203.0.113.9", "203.0.113.9"},
		{"ChainOfTrustedProxies", cidrs("10.0.0.0/8"), "10.0.0.2:5000", "203.0.113.9, 10.1.2.3", "203.0.113.9"},
		{"ForgedEntryBeforeTheClient", cidrs("10.0.0.0/8"), "10.0.0.2:5000", "192.0.2.66, 203.0.113.9", "203.0.113.9"},
		{"UntrustedPeerIgnored", cidrs("10.0.0.0/8"), "198.51.100.7:5000", "203.0.113.9", "198.51.100.7"},
		{"PrivateNotTrustedUnlessListed", cidrs("10.0.0.0/8"), "192.168.1.1:5000", "203.0.113.9", "192.168.1.1"},
		{"LoopbackNotTrustedUnlessListed", cidrs("10.0.0.0/8"), "127.0.0.1:5000", "203.0.113.9", "127.0.0.1"},
		{"IPv6", cidrs("2001:db8::/32"), "[2001:db8::1]:5000", "203.0.113.9", "203.0.113.9"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/v1/auth/login", nil)
			r.RemoteAddr = tt.remote
			if tt.xff != "" {
				r.Header.Set("X-Forwarded-For", tt.xff)
			}
			if got := ipExtractor(tt.trusted)(r); got != tt.want {
				t.Errorf("client %q, want %q", got, tt.want)
			}
		})
	}
}
