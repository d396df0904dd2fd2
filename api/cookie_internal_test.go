package api

import (
	"crypto/tls"
	"encoding/json"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"sankofa"
)

// TestCookie_OriginBehindProxy: X-Forwarded-Proto decides the scheme only
// when a trusted proxy sends it, and the Origin must then match it.
func TestCookie_OriginBehindProxy(t *testing.T) {
	_, proxies, _ := net.ParseCIDR("10.0.0.0/8")
	for _, tt := range []struct {
		name    string
		trusted bool   // 10.0.0.0/8 is a trusted proxy
		remote  string // the connecting address
		tls     bool
		proto   string // X-Forwarded-Proto
		host    string
		origin  string
		scheme  string // want
		ok      bool   // the Origin is accepted
	}{
		{"PlainHTTP", false, "127.0.0.1:5000", false, "", "127.0.0.1:8080", "http://127.0.0.1:8080", "http", true},
		{"TLS", false, "127.0.0.1:5000", true, "", "sankofa.example", "https://sankofa.example", "https", true},
		{"TLSExplicitDefaultPort", false, "127.0.0.1:5000", true, "", "sankofa.example:443", "https://sankofa.example", "https", true},
		{"HostCaseIgnored", false, "127.0.0.1:5000", true, "", "Sankofa.Example", "https://sankofa.example", "https", true},
		{"TrustedProxySaysHTTPS", true, "10.0.0.2:5000", false, "https", "sankofa.example", "https://sankofa.example", "https", true},
		{"TrustedProxySaysHTTPSOriginHTTP", true, "10.0.0.2:5000", false, "https", "sankofa.example", "http://sankofa.example", "https", false},
		{"UntrustedPeerIgnored", true, "198.51.100.7:5000", false, "https", "sankofa.example", "https://sankofa.example", "http", false},
		{"NoProxiesConfigured", false, "10.0.0.2:5000", false, "https", "sankofa.example", "https://sankofa.example", "http", false},
		{"OtherHost", false, "127.0.0.1:5000", false, "", "127.0.0.1:8080", "http://localhost:8080", "http", false},
		{"OriginWithPath", false, "127.0.0.1:5000", false, "", "127.0.0.1:8080", "http://127.0.0.1:8080/evil", "http", false},
		{"OriginWithUser", false, "127.0.0.1:5000", false, "", "127.0.0.1:8080", "http://x@127.0.0.1:8080", "http", false},
		{"Missing", false, "127.0.0.1:5000", false, "", "127.0.0.1:8080", "", "http", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{}
			if tt.trusted {
				s.cfg.TrustedProxies = []*net.IPNet{proxies}
			}
			r := httptest.NewRequest("POST", "/v1/auth/refresh", nil)
			r.RemoteAddr, r.Host = tt.remote, tt.host
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tt.proto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.proto)
			}
			if tt.origin != "" {
				r.Header.Set("Origin", tt.origin)
			}
			c := echo.New().NewContext(r, httptest.NewRecorder())
			if got := s.scheme(c); got != tt.scheme {
				t.Errorf("scheme %q, want %q", got, tt.scheme)
			}
			err := s.checkOrigin(c)
			if tt.ok != (err == nil) || (err != nil && !sankofa.IsCode(err, sankofa.Forbidden)) {
				t.Errorf("checkOrigin: %v, want ok=%v (forbidden otherwise)", err, tt.ok)
			}
		})
	}
}

// TestAbout_SupportContact: the configured contact and version are shown.
func TestAbout_SupportContact(t *testing.T) {
	s := &Server{cfg: Config{SupportContact: "support@moh.example.org", Version: "v1.2.3"}}
	rec := httptest.NewRecorder()
	c := echo.New().NewContext(httptest.NewRequest("GET", "/v1/about", nil), rec)
	if err := s.handleAbout()(c); err != nil {
		t.Fatal(err)
	}
	var a About
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatal(err)
	}
	if a.SupportContact != "support@moh.example.org" || a.Version != "v1.2.3" || strings.Join(a.Languages, ",") != "en,fr,pt" {
		t.Errorf("about %+v", a)
	}
}
