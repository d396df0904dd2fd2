package notifier_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"sankofa"
	"sankofa/notifier"
)

var (
	strict  = notifier.AddressPolicy{}
	lenient = notifier.AddressPolicy{AllowPrivate: true}
)

// requireURLProblem fails unless err is an invalid *sankofa.Error on field
// "url" whose message contains want.
func requireURLProblem(t *testing.T, err error, want string) {
	t.Helper()
	var e *sankofa.Error
	if !errors.As(err, &e) || e.Code != sankofa.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "url" {
		t.Fatalf("error %v (%T), want invalid on field url", err, err)
	}
	if !strings.Contains(e.Fields[0].Message, want) {
		t.Fatalf("message %q does not contain %q", e.Fields[0].Message, want)
	}
}

func TestAddressPolicy_CheckIP(t *testing.T) {
	tests := []struct {
		ip string
		// strict and lenient are the expected refusal reasons ("" admits).
		strict, lenient string
	}{
		{"8.8.8.8", "", ""},
		{"1.1.1.1", "", ""},
		{"41.79.100.1", "", ""},
		{"2001:4860::8888", "", ""},
		{"2a00:1450:4001::200e", "", ""},
		{"64:ff9b::808:808", "", ""},  // NAT64 of 8.8.8.8
		{"2002:808:808::1", "", ""},   // 6to4 of 8.8.8.8
		{"::ffff:8.8.8.8", "", ""},    // IPv4-mapped public
		{"127.0.0.1", "loopback", ""}, // loopback
		{"127.255.255.254", "loopback", ""},
		{"::1", "loopback", ""},
		{"10.1.2.3", "private", ""},
		{"172.16.0.1", "private", ""},
		{"172.31.255.255", "private", ""},
		{"192.168.1.1", "private", ""},
		{"fc00::1", "private", ""},
		{"fd00:ec2::254", "private", ""}, // AWS IPv6 metadata
		{"169.254.169.254", "cloud metadata", ""},
		{"169.254.1.1", "link-local", ""},
		{"fe80::1", "link-local", ""},
		{"fe80::1%eth0", "link-local", ""},
		{"100.64.0.1", "CGNAT", ""},
		{"100.100.100.200", "CGNAT", ""}, // Alibaba metadata
		{"192.0.2.1", "documentation", ""},
		{"198.18.0.1", "benchmarking", ""},
		{"240.0.0.1", "reserved", ""},
		{"2001:db8::1", "documentation", ""},
		{"fec0::1", "site-local", ""},
		{"::ffff:127.0.0.1", "loopback", ""},
		{"::ffff:169.254.169.254", "cloud metadata", ""},
		{"::ffff:10.0.0.1", "private", ""},
		{"::127.0.0.1", "loopback", ""},        // IPv4-compatible
		{"::8.8.8.8", "reserved", ""},          // IPv4-compatible is not routed
		{"64:ff9b::a9fe:a9fe", "metadata", ""}, // NAT64 of 169.254.169.254
		{"2002:7f00:1::", "loopback", ""},      // 6to4 of 127.0.0.1
		{"2001::1", "Teredo", ""},
		{"0.0.0.0", "unspecified", "unspecified"},
		{"0.1.2.3", "unspecified", "unspecified"},
		{"::", "unspecified", "unspecified"},
		{"::ffff:0.0.0.0", "unspecified", "unspecified"},
		{"224.0.0.1", "multicast", "multicast"},
		{"ff02::1", "multicast", "multicast"},
		{"255.255.255.255", "broadcast", "broadcast"},
	}
	for _, tt := range tests {
		t.Run(tt.ip, func(t *testing.T) {
			ip := netip.MustParseAddr(tt.ip)
			for _, c := range []struct {
				policy notifier.AddressPolicy
				want   string
			}{{strict, tt.strict}, {lenient, tt.lenient}} {
				err := c.policy.CheckIP(ip)
				if c.want == "" {
					if err != nil {
						t.Fatalf("AllowPrivate=%v: %v, want admitted", c.policy.AllowPrivate, err)
					}
					continue
				}
				requireURLProblem(t, err, c.want)
			}
		})
	}
}

func TestAddressPolicy_CheckURL(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		url             string
		strict, lenient string // expected message fragment; "" admits
	}{
		{"https://8.8.8.8/hook", "", ""},
		{"https://134744072/hook", "non-standard", "non-standard"}, // 8.8.8.8
		{"https://0x08.8.8.8/hook", "non-standard", "non-standard"},
		{"https://[2001:4860::8888]:8443/hook", "", ""},
		{"http://8.8.8.8/hook", "https", "https"},
		{"ftp://8.8.8.8/", "http", "http"},
		{"https://user@8.8.8.8/", "user", "user"},
		{"https://localhost/hook", "loopback", ""},
		{"http://localhost:8080/hook", "https", ""},
		{"https://127.0.0.1/", "loopback", ""},
		{"https://0x7f.1/", "loopback", "non-standard"},
		{"https://0x7F000001/", "loopback", "non-standard"},
		{"https://2130706433/", "loopback", "non-standard"},
		{"https://017700000001/", "loopback", "non-standard"},
		{"https://0177.0.0.1/", "loopback", "non-standard"},
		{"https://127.1/", "loopback", "non-standard"},
		{"https://127.0.1/", "loopback", "non-standard"},
		{"https://0xa9.0xfe.0xa9.0xfe/latest/meta-data/", "metadata", "non-standard"},
		{"https://2852039166/latest/meta-data/", "metadata", "non-standard"},
		{"https://169.254.169.254/latest/meta-data/", "metadata", ""},
		{"https://[::ffff:127.0.0.1]/", "loopback", ""},
		{"https://[::ffff:7f00:1]/", "loopback", ""},
		{"https://[0:0:0:0:0:ffff:a9fe:a9fe]/", "metadata", ""},
		{"https://[::1]/", "loopback", ""},
		{"https://[fe80::1%25eth0]/", "link-local", ""},
		{"https://[fd12:3456::1]/", "private", ""},
		{"https://10.0.0.1/", "private", ""},
		{"https://012.0.0.1/", "private", "non-standard"}, // octal 012 = 10
		{"https://100.64.1.1/", "CGNAT", ""},
		{"https://0.0.0.0/", "unspecified", "unspecified"},
		{"https://0/", "unspecified", "unspecified"},
		{"https://[::]/", "unspecified", "unspecified"},
		{"https://224.0.0.251/", "multicast", "multicast"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			for _, c := range []struct {
				policy notifier.AddressPolicy
				want   string
			}{{strict, tt.strict}, {lenient, tt.lenient}} {
				err := c.policy.CheckURL(ctx, tt.url)
				if c.want == "" {
					if err != nil {
						t.Fatalf("AllowPrivate=%v: %v, want admitted", c.policy.AllowPrivate, err)
					}
					continue
				}
				requireURLProblem(t, err, c.want)
			}
		})
	}
}

func TestAddressPolicy_DialContext(t *testing.T) {
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	t.Run("ErrLoopback", func(t *testing.T) {
		for _, addr := range []string{ln.Addr().String(), net.JoinHostPort("localhost", port)} {
			c, err := strict.DialContext(ctx, "tcp", addr)
			if err == nil {
				c.Close()
				t.Fatalf("dial %s: connected, want refusal", addr)
			}
			// The refusal comes from the dialer's Control hook, so it is
			// wrapped in a *net.OpError.
			var op *net.OpError
			if !errors.As(err, &op) {
				t.Fatalf("dial %s: %v (%T), want a *net.OpError", addr, err, err)
			}
			requireURLProblem(t, err, "loopback")
		}
	})
	t.Run("ErrUDP", func(t *testing.T) {
		if _, err := lenient.DialContext(ctx, "udp", ln.Addr().String()); !sankofa.IsCode(err, sankofa.Invalid) {
			t.Fatalf("udp dial: %v, want invalid", err)
		}
	})
	t.Run("OKAllowPrivate", func(t *testing.T) {
		c, err := lenient.DialContext(ctx, "tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	})
}

func TestAddressPolicy_HTTPClient(t *testing.T) {
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer target.Close()
	redirect := httptest.NewServer(http.RedirectHandler(target.URL, http.StatusTemporaryRedirect))
	defer redirect.Close()
	t.Run("OKAllowPrivate", func(t *testing.T) {
		resp, err := lenient.HTTPClient(5 * time.Second).Get(target.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
	t.Run("ErrLoopback", func(t *testing.T) {
		_, err := strict.HTTPClient(5 * time.Second).Get(target.URL)
		requireURLProblem(t, err, "loopback")
	})
	t.Run("RedirectNotFollowed", func(t *testing.T) {
		resp, err := lenient.HTTPClient(5 * time.Second).Get(redirect.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTemporaryRedirect {
			t.Fatalf("status %d, want the redirect itself", resp.StatusCode)
		}
	})
	t.Run("NoProxy", func(t *testing.T) {
		t.Setenv("HTTPS_PROXY", redirect.URL)
		t.Setenv("HTTP_PROXY", redirect.URL)
		tr := lenient.HTTPClient(0).Transport.(*http.Transport)
		if tr.Proxy != nil {
			t.Fatal("the transport uses a proxy, which would resolve names past the check")
		}
	})
}
