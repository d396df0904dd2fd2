package sankofa_test

import (
	"encoding/json"
	"strings"
	"testing"

	"sankofa"
)

func TestWebhookRequest_Validate(t *testing.T) {
	ok := []string{"offer.accepted", "assignment.filled"}
	tests := []struct {
		name string
		req  sankofa.WebhookRequest
		want []string
	}{
		{"OK", sankofa.WebhookRequest{URL: "https://hooks.moh.gov.gh/sankofa?team=hr", Events: ok}, nil},
		{"OKHTTPWithPort", sankofa.WebhookRequest{URL: "http://localhost:8080/hook", Events: ok}, nil},
		{"OKIPv6", sankofa.WebhookRequest{URL: "https://[2001:db8::1]:8443/h", Events: ok}, nil},
		{"OKEveryEvent", sankofa.WebhookRequest{URL: "https://h.example/x", Events: sankofa.WebhookEvents}, nil},
		{"ErrEmpty", sankofa.WebhookRequest{}, []string{"url", "events"}},
		{"ErrRelative", sankofa.WebhookRequest{URL: "/hook", Events: ok}, []string{"url"}},
		{"ErrNoScheme", sankofa.WebhookRequest{URL: "hooks.example.org/x", Events: ok}, []string{"url"}},
		{"ErrFTP", sankofa.WebhookRequest{URL: "ftp://hooks.example.org/x", Events: ok}, []string{"url"}},
		{"ErrFile", sankofa.WebhookRequest{URL: "file:///etc/passwd", Events: ok}, []string{"url"}},
		{"ErrJavascript", sankofa.WebhookRequest{URL: "javascript:alert(1)", Events: ok}, []string{"url"}},
		{"ErrGopher", sankofa.WebhookRequest{URL: "gopher://x", Events: ok}, []string{"url"}},
		{"ErrNoHost", sankofa.WebhookRequest{URL: "https:///path", Events: ok}, []string{"url"}},
		{"ErrPortOnly", sankofa.WebhookRequest{URL: "https://:443/path", Events: ok}, []string{"url"}},
		{"ErrUserinfo", sankofa.WebhookRequest{URL: "https://user:pw@hooks.example.org/", Events: ok}, []string{"url"}},
		{"ErrUserOnly", sankofa.WebhookRequest{URL: "https://user@hooks.example.org/", Events: ok}, []string{"url"}},
		{"ErrFragment", sankofa.WebhookRequest{URL: "https://hooks.example.org/#x", Events: ok}, []string{"url"}},
		{"ErrSpace", sankofa.WebhookRequest{URL: "https://hooks.example.org/a b", Events: ok}, []string{"url"}},
		{"ErrBadPort", sankofa.WebhookRequest{URL: "https://hooks.example.org:99999/", Events: ok}, []string{"url"}},
		{"ErrPortZero", sankofa.WebhookRequest{URL: "https://hooks.example.org:0/", Events: ok}, []string{"url"}},
		{"ErrControl", sankofa.WebhookRequest{URL: "https://hooks.example.org/\x00", Events: ok}, []string{"url"}},
		{"ErrTooLong", sankofa.WebhookRequest{URL: "https://h.example/" + strings.Repeat("a", 2048), Events: ok}, []string{"url"}},
		{"OKLongest", sankofa.WebhookRequest{URL: "https://h.example/" + strings.Repeat("a", 2048-len("https://h.example/")), Events: ok}, nil},
		{"ErrNoEvents", sankofa.WebhookRequest{URL: "https://h.example/", Events: []string{}}, []string{"events"}},
		{"ErrUnknownEvent", sankofa.WebhookRequest{URL: "https://h.example/", Events: []string{"offer.accepted", "profile.created"}}, []string{"events[1]"}},
		{"ErrSubjectPrefix", sankofa.WebhookRequest{URL: "https://h.example/", Events: []string{"sankofa.offer.accepted"}}, []string{"events[0]"}},
		{"ErrCase", sankofa.WebhookRequest{URL: "https://h.example/", Events: []string{"Offer.Accepted"}}, []string{"events[0]"}},
		{"ErrDuplicate", sankofa.WebhookRequest{URL: "https://h.example/", Events: []string{"offer.accepted", "offer.expired", "offer.accepted"}}, []string{"events[2]"}},
		{"ErrTooMany", sankofa.WebhookRequest{URL: "https://h.example/", Events: repeat("offer.accepted", 11)}, []string{"events"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkFields(t, tt.req.Validate(), tt.want)
		})
	}
}

func TestWebhook_Redacted(t *testing.T) {
	w := sankofa.Webhook{ID: "whk_1", URL: "https://h.example/", Events: []string{"offer.accepted"}, Secret: "whsec_x"}
	r := w.Redacted()
	if r.Secret != "" || w.Secret == "" {
		t.Fatalf("redacted %+v, original %+v", r, w)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "secret") || strings.Contains(string(b), "account") {
		t.Fatalf("JSON leaks: %s", b)
	}
	if !r.Wants("offer.accepted") || r.Wants("offer.declined") {
		t.Fatal("Wants is wrong")
	}
}

func TestNewWebhookSecret(t *testing.T) {
	a, b := sankofa.NewWebhookSecret(), sankofa.NewWebhookSecret()
	if a == b || !strings.HasPrefix(a, "whsec_") || len(a) != len("whsec_")+64 {
		t.Fatalf("secrets %q, %q", a, b)
	}
}

func FuzzWebhookRequest_Validate(f *testing.F) {
	f.Add("https://hooks.example.org/x", "offer.accepted")
	f.Add("http://[::1]:0/", "assignment.filled")
	f.Add("https://u@h/#", "")
	f.Fuzz(func(t *testing.T, url, event string) {
		r := sankofa.WebhookRequest{URL: url, Events: []string{event}}
		requireInvalid(t, "webhook request", r.Validate())
	})
}

func TestCheckWebhookURL(t *testing.T) {
	checkFields(t, sankofa.CheckWebhookURL("https://hooks.example.org/x"), nil)
	checkFields(t, sankofa.CheckWebhookURL("gopher://hooks.example.org/x"), []string{"url"})
}
