package notifier

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"sankofa"
)

// AddressPolicy decides which addresses webhooks may reach. Webhook URLs
// come from users, so without it Sankofa could be made to call its own
// loopback services, the private network or the cloud metadata endpoint
// (server-side request forgery).
//
// CheckURL gives a clear answer when a webhook is registered; DialContext
// repeats the check on the address actually dialed, because DNS may answer
// differently by the time of delivery (DNS rebinding).
type AddressPolicy struct {
	// AllowPrivate admits loopback, private, link-local, shared (CGNAT) and
	// reserved addresses, and plain http to them, for development and
	// tests. Unspecified, multicast and broadcast addresses are never
	// admitted: they are not a peer one can POST to.
	AllowPrivate bool
}

// CheckURL resolves the host of rawURL and returns an invalid *sankofa.Error
// on field "url" unless it is an https URL (http only to private addresses
// under AllowPrivate) whose every address is admitted. A host that does not
// resolve, or spells an IP address in a legacy form such as "0x7f.1" or
// "2130706433", is invalid too; a failing resolver is returned as a plain
// error.
func (p AddressPolicy) CheckURL(ctx context.Context, rawURL string) error {
	u, err := p.parseURL(rawURL)
	if err != nil {
		return err
	}
	host := u.Hostname()
	var addrs []netip.Addr
	if ip, ok := literalIP(host); ok {
		addrs = []netip.Addr{ip}
	} else {
		addrs, err = net.DefaultResolver.LookupNetIP(ctx, "ip", host)
		var dnsErr *net.DNSError
		switch {
		case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
			return urlProblem("host %s does not resolve", host)
		case err != nil:
			return fmt.Errorf("notifier: resolve %s: %w", host, err)
		case len(addrs) == 0:
			return urlProblem("host %s does not resolve", host)
		}
	}
	public := true
	for _, ip := range addrs {
		if err := p.CheckIP(ip); err != nil {
			return err
		}
		if reason, _ := classify(ip); reason != "" {
			public = false
		}
	}
	if u.Scheme == "http" && public {
		return urlProblem("must use https")
	}
	return nil
}

// parseURL checks what can be checked without resolving the host: the
// syntax, https unless private addresses are allowed, and a literal IP host.
func (p AddressPolicy) parseURL(rawURL string) (*url.URL, error) {
	if err := sankofa.CheckWebhookURL(rawURL); err != nil {
		return nil, err
	}
	u, err := url.Parse(rawURL)
	if err != nil { // CheckWebhookURL has parsed it already
		return nil, urlProblem("must be an absolute http or https URL")
	}
	if u.Scheme != "https" && !p.AllowPrivate {
		return nil, urlProblem("must use https")
	}
	if ip, ok := literalIP(u.Hostname()); ok {
		if err := p.CheckIP(ip); err != nil {
			return nil, err
		}
		// Resolvers disagree on these spellings, and only an attempt to
		// slip past a filter uses them.
		if _, err := netip.ParseAddr(u.Hostname()); err != nil {
			return nil, urlProblem("spells an IP address in a non-standard form; write %s", ip)
		}
	}
	return u, nil
}

// CheckIP returns an invalid *sankofa.Error on field "url" when ip may not
// be reached under p.
func (p AddressPolicy) CheckIP(ip netip.Addr) error {
	reason, always := classify(ip)
	if reason == "" || (p.AllowPrivate && !always) {
		return nil
	}
	return urlProblem("points to %s (%s); webhooks must reach a public address", reason, ip.WithZone(""))
}

func urlProblem(format string, args ...any) error {
	var p sankofa.Problems
	p.Add("url", format, args...)
	return p.Err()
}

// DialContext dials like net.Dialer, but refuses, after resolution and
// just before connecting, any address CheckIP refuses. The refusal is an
// invalid *sankofa.Error in the returned error's chain.
func (p AddressPolicy) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	d := net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second, Control: p.control}
	return d.DialContext(ctx, network, addr)
}

// control sees the socket address about to be connected, whatever name
// resolved to it.
func (p AddressPolicy) control(network, address string, _ syscall.RawConn) error {
	switch network {
	case "tcp", "tcp4", "tcp6":
	default:
		return urlProblem("network %s is not allowed", network)
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return urlProblem("address %q is not an IP address", address)
	}
	return p.CheckIP(ap.Addr())
}

// DefaultWebhookTimeout bounds one webhook delivery from dial to the end
// of the response.
const DefaultWebhookTimeout = 10 * time.Second

// HTTPClient returns a client for webhook deliveries: every connection
// goes through DialContext, no proxy is used (a proxy would resolve the
// name itself, past the check), redirects are returned rather than
// followed, and the whole exchange is bounded by timeout
// (DefaultWebhookTimeout when timeout is not positive).
func (p AddressPolicy) HTTPClient(timeout time.Duration) *http.Client {
	if timeout <= 0 {
		timeout = DefaultWebhookTimeout
	}
	tr := &http.Transport{
		Proxy:                  nil,
		DialContext:            p.DialContext,
		TLSClientConfig:        &tls.Config{MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    min(timeout, 10*time.Second),
		ResponseHeaderTimeout:  timeout,
		ExpectContinueTimeout:  time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		MaxResponseHeaderBytes: 64 << 10,
	}
	return &http.Client{
		Transport: tr,
		Timeout:   timeout,
		// A receiver that moved must be registered again under its new
		// URL; following would also turn a POST into a GET on 301/302.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// classify says why ip is not a public unicast address, or returns "".
// always reports that the address is refused even under AllowPrivate.
func classify(ip netip.Addr) (reason string, always bool) {
	if !ip.IsValid() {
		return "an invalid address", true
	}
	ip = ip.WithZone("").Unmap()
	if ip.Is4() {
		return classify4(ip)
	}
	switch {
	case ip.IsUnspecified():
		return "the unspecified address", true
	case ip.IsLoopback():
		return "a loopback address", false
	case ip.IsMulticast():
		return "a multicast address", true
	case ip.IsLinkLocalUnicast():
		return "a link-local address", false
	case ip.IsPrivate():
		return "a private address", false
	}
	// IPv6 forms that carry an IPv4 address and may reach it.
	b := ip.As16()
	for _, pfx := range embeds4 {
		if pfx.Contains(ip) {
			if reason, always := classify4(netip.AddrFrom4([4]byte(b[12:]))); reason != "" {
				return reason + " inside an IPv6 address", always
			}
			if pfx == nat64 {
				return "", false
			}
			break // the other forms are not routed: reserved below
		}
	}
	if sixToFour.Contains(ip) {
		if reason, always := classify4(netip.AddrFrom4([4]byte(b[2:6]))); reason != "" {
			return reason + " inside a 6to4 address", always
		}
		return "", false
	}
	for _, r := range reserved6 {
		if r.prefix.Contains(ip) {
			return r.reason, false
		}
	}
	if !globalUnicast6.Contains(ip) {
		return "a reserved address", false
	}
	return "", false
}

func classify4(ip netip.Addr) (reason string, always bool) {
	switch {
	case thisNetwork.Contains(ip):
		return "the unspecified address", true
	case ip == broadcast:
		return "the broadcast address", true
	case ip.IsMulticast():
		return "a multicast address", true
	case ip.IsLoopback():
		return "a loopback address", false
	case ip.IsPrivate():
		return "a private address", false
	case ip == metadata:
		return "the cloud metadata address", false
	case ip.IsLinkLocalUnicast():
		return "a link-local address", false
	}
	for _, r := range reserved4 {
		if r.prefix.Contains(ip) {
			return r.reason, false
		}
	}
	return "", false
}

type reservedRange struct {
	prefix netip.Prefix
	reason string
}

var (
	thisNetwork    = netip.MustParsePrefix("0.0.0.0/8")
	broadcast      = netip.MustParseAddr("255.255.255.255")
	metadata       = netip.MustParseAddr("169.254.169.254")
	sixToFour      = netip.MustParsePrefix("2002::/16")
	globalUnicast6 = netip.MustParsePrefix("2000::/3")
	reserved4      = []reservedRange{
		{netip.MustParsePrefix("100.64.0.0/10"), "a shared (CGNAT) address"},
		{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol address"},
		{netip.MustParsePrefix("192.0.2.0/24"), "a documentation address"},
		{netip.MustParsePrefix("198.51.100.0/24"), "a documentation address"},
		{netip.MustParsePrefix("203.0.113.0/24"), "a documentation address"},
		{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking address"},
		{netip.MustParsePrefix("240.0.0.0/4"), "a reserved address"},
	}
	// embeds4 are IPv6 prefixes whose last 32 bits are an IPv4 address:
	// IPv4-compatible (deprecated), IPv4-translated (SIIT) and NAT64.
	nat64   = netip.MustParsePrefix("64:ff9b::/96")
	embeds4 = []netip.Prefix{
		netip.MustParsePrefix("::/96"),
		netip.MustParsePrefix("::ffff:0:0:0/96"),
		nat64,
	}
	reserved6 = []reservedRange{
		{netip.MustParsePrefix("64:ff9b:1::/48"), "a local NAT64 address"},
		{netip.MustParsePrefix("2001::/32"), "a Teredo address"},
		{netip.MustParsePrefix("2001:db8::/32"), "a documentation address"},
		{netip.MustParsePrefix("fec0::/10"), "a site-local address"},
		{netip.MustParsePrefix("100::/64"), "a discard address"},
	}
)

// literalIP parses host as an IP address, accepting besides the usual
// forms the legacy IPv4 spellings inet_aton and browsers accept ("0x7f.1",
// "2130706433", "0177.0.0.1", "127.1"), which some resolvers turn into
// addresses without asking DNS.
func literalIP(host string) (netip.Addr, bool) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return ip, true
	}
	return legacyIPv4(host)
}

func legacyIPv4(host string) (netip.Addr, bool) {
	host = strings.TrimSuffix(host, ".")
	parts := strings.Split(host, ".")
	if host == "" || len(parts) > 4 {
		return netip.Addr{}, false
	}
	nums := make([]uint64, len(parts))
	for i, s := range parts {
		base := 10
		switch {
		case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
			s, base = s[2:], 16
		case s == "0x" || s == "0X":
			s = "0"
		case len(s) > 1 && s[0] == '0':
			s, base = s[1:], 8
		}
		n, err := strconv.ParseUint(s, base, 32)
		if err != nil {
			return netip.Addr{}, false
		}
		nums[i] = n
	}
	var v uint64
	for i, n := range nums[:len(nums)-1] {
		if n > 0xff {
			return netip.Addr{}, false
		}
		v |= n << (24 - 8*i)
	}
	last := nums[len(nums)-1]
	if last >= 1<<(32-8*(len(nums)-1)) {
		return netip.Addr{}, false
	}
	v |= last
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}
