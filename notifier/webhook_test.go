package notifier_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"sankofa"
	"sankofa/notifier"
)

func TestSign(t *testing.T) {
	secret := []byte("whsec_test")
	body := []byte(`{"id":"evt_1"}`)
	at := time.Unix(1700000000, 0)
	// Computed independently: HMAC-SHA256("whsec_test", "1700000000." + body).
	const want = "t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925"
	if got := notifier.Sign(secret, at, body); got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
	tests := []struct {
		name      string
		secret    string
		header    string
		body      string
		now       time.Time
		tolerance time.Duration
		ok        bool
	}{
		{"OK", "whsec_test", want, `{"id":"evt_1"}`, at.Add(time.Minute), 5 * time.Minute, true},
		{"OKSpaces", "whsec_test", strings.ReplaceAll(want, ",", ", "), `{"id":"evt_1"}`, at, 5 * time.Minute, true},
		{"OKRotation", "whsec_test", want[:len("t=1700000000")] + ",v1=" + strings.Repeat("ab", 32) + want[len("t=1700000000"):], `{"id":"evt_1"}`, at, 5 * time.Minute, true},
		{"OKNoTolerance", "whsec_test", want, `{"id":"evt_1"}`, at.Add(24 * time.Hour), 0, true},
		{"ErrSecret", "whsec_other", want, `{"id":"evt_1"}`, at, 5 * time.Minute, false},
		{"ErrBody", "whsec_test", want, `{"id":"evt_2"}`, at, 5 * time.Minute, false},
		{"ErrOld", "whsec_test", want, `{"id":"evt_1"}`, at.Add(6 * time.Minute), 5 * time.Minute, false},
		{"ErrFuture", "whsec_test", want, `{"id":"evt_1"}`, at.Add(-6 * time.Minute), 5 * time.Minute, false},
		{"ErrTimestampChanged", "whsec_test", strings.Replace(want, "t=1700000000", "t=1700000001", 1), `{"id":"evt_1"}`, at, 5 * time.Minute, false},
		{"ErrNoTimestamp", "whsec_test", want[len("t=1700000000,"):], `{"id":"evt_1"}`, at, 5 * time.Minute, false},
		{"ErrNoSignature", "whsec_test", "t=1700000000", `{"id":"evt_1"}`, at, 5 * time.Minute, false},
		{"ErrV0Only", "whsec_test", strings.Replace(want, "v1=", "v0=", 1), `{"id":"evt_1"}`, at, 5 * time.Minute, false},
		{"ErrEmpty", "whsec_test", "", `{"id":"evt_1"}`, at, 5 * time.Minute, false},
		{"ErrGarbage", "whsec_test", "t=x,v1=zz", `{"id":"evt_1"}`, at, 5 * time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := notifier.VerifySignature([]byte(tt.secret), tt.header, []byte(tt.body), tt.now, tt.tolerance)
			if tt.ok != (err == nil) {
				t.Fatalf("VerifySignature = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, notifier.ErrBadSignature) {
				t.Fatalf("error %v does not wrap ErrBadSignature", err)
			}
		})
	}
}

func TestRetryDelay(t *testing.T) {
	bases := []time.Duration{time.Second, time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute,
		10 * time.Minute, time.Hour, time.Hour, time.Hour, time.Hour}
	for attempt, base := range bases { // attempt 0 counts as the first
		for range 50 {
			d := notifier.RetryDelay(attempt)
			if d < base*8/10 || d > base*12/10 {
				t.Fatalf("RetryDelay(%d) = %s, want %s ±20%%", attempt, d, base)
			}
		}
	}
	// All attempts fit in a few hours, so a ministry's outage of an
	// afternoon loses nothing.
	var total time.Duration
	for a := 1; a < notifier.MaxWebhookAttempts; a++ {
		total += notifier.RetryDelay(a)
	}
	if total < time.Hour || total > 4*time.Hour {
		t.Fatalf("total back-off %s", total)
	}
}

// receiver is a webhook endpoint that records what it receives and answers
// with the next status of its script (200 once the script is used up).
type receiver struct {
	mu     sync.Mutex
	script []int
	got    []*http.Request
	bodies [][]byte
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.got = append(rc.got, r)
	rc.bodies = append(rc.bodies, body)
	status := http.StatusOK
	if len(rc.script) > 0 {
		status, rc.script = rc.script[0], rc.script[1:]
	}
	rc.mu.Unlock()
	if status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "7")
	}
	w.WriteHeader(status)
}

func (rc *receiver) hits() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.got)
}

func newReceiver(t *testing.T, script ...int) (*receiver, *httptest.Server) {
	t.Helper()
	rc := &receiver{script: script}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv
}

func hookFor(url string) sankofa.Webhook {
	return sankofa.Webhook{ID: "whk_1", AccountID: "acc_m", URL: url, Events: []string{"offer.accepted"}, Secret: "whsec_s3cr3t"}
}

func TestDeliverer_Deliver(t *testing.T) {
	ctx := context.Background()
	body := []byte(`{"event":"offer.accepted","offer_id":"off_1"}`)
	d := notifier.NewDeliverer(lenient, nil, nil, nil)

	t.Run("OK", func(t *testing.T) {
		rc, srv := newReceiver(t)
		hook := hookFor(srv.URL + "/hook")
		if err := d.Deliver(ctx, hook, "offer.accepted", "dlv_1", body); err != nil {
			t.Fatal(err)
		}
		r := rc.got[0]
		if r.Method != http.MethodPost || r.URL.Path != "/hook" || string(rc.bodies[0]) != string(body) {
			t.Fatalf("got %s %s %q", r.Method, r.URL.Path, rc.bodies[0])
		}
		for h, want := range map[string]string{
			"Content-Type": "application/json", "Sankofa-Event": "offer.accepted", "Sankofa-Delivery": "dlv_1",
		} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		if err := notifier.VerifySignature([]byte(hook.Secret), r.Header.Get("Sankofa-Signature"), rc.bodies[0], time.Now(), 5*time.Minute); err != nil {
			t.Fatalf("signature: %v", err)
		}
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			t.Fatal("credentials leaked to the receiver")
		}
	})

	t.Run("RetryThenOK", func(t *testing.T) {
		rc, srv := newReceiver(t, http.StatusInternalServerError)
		hook := hookFor(srv.URL)
		err := d.Deliver(ctx, hook, "offer.accepted", "dlv_2", body)
		var se *notifier.StatusError
		if err == nil || errors.Is(err, notifier.ErrPermanent) || !errors.As(err, &se) || se.StatusCode != 500 {
			t.Fatalf("first attempt: %v, want a retryable 500", err)
		}
		if err := d.Deliver(ctx, hook, "offer.accepted", "dlv_2", body); err != nil {
			t.Fatalf("second attempt: %v", err)
		}
		if a, b := rc.got[0].Header.Get("Sankofa-Delivery"), rc.got[1].Header.Get("Sankofa-Delivery"); a != "dlv_2" || a != b {
			t.Fatalf("delivery ids %q, %q; want the same on a retry", a, b)
		}
	})

	t.Run("Statuses", func(t *testing.T) {
		for _, tt := range []struct {
			status     int
			permanent  bool
			retryAfter time.Duration
		}{
			{http.StatusCreated, false, 0},
			{http.StatusNoContent, false, 0},
			{http.StatusBadRequest, true, 0},
			{http.StatusUnauthorized, true, 0},
			{http.StatusNotFound, true, 0},
			{http.StatusGone, true, 0},
			{http.StatusRequestTimeout, false, 0},
			{http.StatusTooManyRequests, false, 7 * time.Second},
			{http.StatusInternalServerError, false, 0},
			{http.StatusBadGateway, false, 0},
			{http.StatusServiceUnavailable, false, 0},
			{http.StatusMovedPermanently, true, 0},
		} {
			_, srv := newReceiver(t, tt.status)
			err := d.Deliver(ctx, hookFor(srv.URL), "offer.accepted", "dlv_3", body)
			if tt.status < 300 {
				if err != nil {
					t.Errorf("%d: %v", tt.status, err)
				}
				continue
			}
			var se *notifier.StatusError
			if !errors.As(err, &se) || se.StatusCode != tt.status || se.RetryAfter != tt.retryAfter {
				t.Errorf("%d: %v, want a StatusError with Retry-After %s", tt.status, err, tt.retryAfter)
			}
			if errors.Is(err, notifier.ErrPermanent) != tt.permanent {
				t.Errorf("%d: %v, want permanent=%v", tt.status, err, tt.permanent)
			}
		}
	})

	t.Run("ErrRedirectNotFollowed", func(t *testing.T) {
		target, targetSrv := newReceiver(t)
		srv := httptest.NewServer(http.RedirectHandler(targetSrv.URL, http.StatusTemporaryRedirect))
		defer srv.Close()
		err := d.Deliver(ctx, hookFor(srv.URL), "offer.accepted", "dlv_4", body)
		if !errors.Is(err, notifier.ErrPermanent) || !strings.Contains(err.Error(), targetSrv.URL) {
			t.Fatalf("%v, want a permanent failure naming the new location", err)
		}
		if target.hits() != 0 {
			t.Fatal("the redirect was followed")
		}
	})

	t.Run("ErrBodyTooLarge", func(t *testing.T) {
		rc, srv := newReceiver(t)
		big := make([]byte, notifier.MaxWebhookBody+1)
		if err := d.Deliver(ctx, hookFor(srv.URL), "offer.accepted", "dlv_5", big); !errors.Is(err, notifier.ErrPermanent) {
			t.Fatalf("%v, want permanent", err)
		}
		if rc.hits() != 0 {
			t.Fatal("an oversized body was sent")
		}
		if err := d.Deliver(ctx, hookFor(srv.URL), "offer.accepted", "dlv_5", big[:notifier.MaxWebhookBody]); err != nil {
			t.Fatalf("body at the limit: %v", err)
		}
	})

	t.Run("OKHugeResponseNotRead", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			chunk := []byte(strings.Repeat("x", 64<<10))
			for range 1024 { // 64 MiB unless the client hangs up
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}))
		defer srv.Close()
		if err := d.Deliver(ctx, hookFor(srv.URL), "offer.accepted", "dlv_6", body); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ErrTimeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		slow := notifier.NewDeliverer(lenient, lenient.HTTPClient(200*time.Millisecond), nil, nil)
		err := slow.Deliver(ctx, hookFor(srv.URL), "offer.accepted", "dlv_7", body)
		if err == nil || errors.Is(err, notifier.ErrPermanent) {
			t.Fatalf("%v, want a retryable error", err)
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := d.Deliver(cctx, hookFor(srv.URL), "offer.accepted", "dlv_7", body); err == nil || errors.Is(err, notifier.ErrPermanent) {
			t.Fatalf("cancelled: %v, want a retryable error", err)
		}
	})

	t.Run("ErrConnectionRefused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		if err := d.Deliver(ctx, hookFor("http://"+addr+"/"), "offer.accepted", "dlv_8", body); err == nil || errors.Is(err, notifier.ErrPermanent) {
			t.Fatalf("%v, want a retryable error", err)
		}
	})
}

// TestDeliverer_SSRF delivers under the strict policy. The receivers are
// TLS servers on loopback posing as "hooks.example.com" (which their test
// certificate covers): the test transport dials that name to them, as DNS
// would, through the policy's DialContext or, for a receiver that is
// supposed to be public, around it.
func TestDeliverer_SSRF(t *testing.T) {
	ctx := context.Background()
	body := []byte(`{}`)
	target, targetSrv := newReceiver(t)

	// client returns a strict client whose "DNS" sends hooks.example.com
	// to srv, checked by the policy or not.
	client := func(srv *httptest.Server, checked, follow bool) *http.Client {
		c := strict.HTTPClient(5 * time.Second)
		tr := c.Transport.(*http.Transport).Clone()
		tr.TLSClientConfig = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
		inner := tr.DialContext
		tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr == "hooks.example.com:443" {
				if checked {
					return inner(ctx, network, srv.Listener.Addr().String())
				}
				var d net.Dialer
				return d.DialContext(ctx, network, srv.Listener.Addr().String())
			}
			return inner(ctx, network, addr)
		}
		c.Transport = tr
		if follow {
			c.CheckRedirect = nil
		}
		return c
	}

	t.Run("ErrLiteralLoopback", func(t *testing.T) {
		d := notifier.NewDeliverer(strict, nil, nil, nil)
		for _, u := range []string{"https://127.0.0.1:9/", "https://[::1]/", "https://2130706433/", "https://169.254.169.254/"} {
			err := d.Deliver(ctx, hookFor(u), "offer.accepted", "dlv", body)
			if !errors.Is(err, notifier.ErrPermanent) || !sankofa.IsCode(err, sankofa.Invalid) {
				t.Fatalf("%s: %v, want permanent and invalid", u, err)
			}
		}
	})

	t.Run("ErrPlainHTTP", func(t *testing.T) {
		err := notifier.NewDeliverer(strict, nil, nil, nil).Deliver(ctx, hookFor("http://hooks.example.com/"), "offer.accepted", "dlv", body)
		if !errors.Is(err, notifier.ErrPermanent) || !strings.Contains(err.Error(), "https") {
			t.Fatalf("%v, want permanent: must use https", err)
		}
	})

	t.Run("ErrRebindingToLoopback", func(t *testing.T) {
		rc := &receiver{}
		srv := httptest.NewTLSServer(rc)
		defer srv.Close()
		d := notifier.NewDeliverer(strict, client(srv, true, false), nil, nil)
		err := d.Deliver(ctx, hookFor("https://hooks.example.com/hook"), "offer.accepted", "dlv", body)
		if !errors.Is(err, notifier.ErrPermanent) || !sankofa.IsCode(err, sankofa.Invalid) || !strings.Contains(err.Error(), "loopback") {
			t.Fatalf("%v, want the dial to loopback refused", err)
		}
		if rc.hits() != 0 {
			t.Fatal("the loopback receiver was reached")
		}
	})

	t.Run("ErrRedirectToLoopback", func(t *testing.T) {
		// A "public" receiver redirects to loopback; even a client that
		// follows redirects is stopped when it dials.
		srv := httptest.NewTLSServer(http.RedirectHandler(targetSrv.URL+"/internal", http.StatusTemporaryRedirect))
		defer srv.Close()
		d := notifier.NewDeliverer(strict, client(srv, false, true), nil, nil)
		err := d.Deliver(ctx, hookFor("https://hooks.example.com/hook"), "offer.accepted", "dlv", body)
		if !errors.Is(err, notifier.ErrPermanent) || !sankofa.IsCode(err, sankofa.Invalid) {
			t.Fatalf("%v, want the redirect's dial refused", err)
		}
		if target.hits() != 0 {
			t.Fatal("the loopback target was reached")
		}
	})

	t.Run("OKPublic", func(t *testing.T) {
		rc := &receiver{}
		srv := httptest.NewTLSServer(rc)
		defer srv.Close()
		d := notifier.NewDeliverer(strict, client(srv, false, false), nil, nil)
		if err := d.Deliver(ctx, hookFor("https://hooks.example.com/hook"), "offer.accepted", "dlv", body); err != nil {
			t.Fatal(err)
		}
		if rc.hits() != 1 {
			t.Fatalf("%d hits", rc.hits())
		}
	})
}

func FuzzVerifySignature(f *testing.F) {
	f.Add("t=1700000000,v1=c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925", []byte(`{"id":"evt_1"}`))
	f.Add("t=-9223372036854775808,v1=", []byte{})
	f.Add(",,=,t=,v1=zz", []byte("x"))
	secret := []byte("whsec_test")
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		err := notifier.VerifySignature(secret, header, body, time.Unix(1700000000, 0), 5*time.Minute)
		if err != nil && !errors.Is(err, notifier.ErrBadSignature) {
			t.Fatalf("error %v does not wrap ErrBadSignature", err)
		}
		// What Sign makes always verifies.
		at := time.Unix(1700000000, 0)
		if err := notifier.VerifySignature(secret, notifier.Sign(secret, at, body), body, at, time.Minute); err != nil {
			t.Fatal(err)
		}
	})
}
