package journey_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestJourney_Seed: a newcomer runs `sankofa seed`, as the README says,
// then starts the server and signs in with the accounts it printed. The
// demo data must be consistent. (The seed once failed half-way when
// ministries stopped seeing workers' account ids.)
func TestJourney_Seed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "seed")
	cmd.Dir = t.TempDir() // nothing may land in the working folder
	cmd.Env = append(os.Environ(), "SANKOFA_DATA_DIR="+dir, "SANKOFA_ADDR=127.0.0.1:0")
	dieWithTest(cmd)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("sankofa seed: %v\n%s", err, tailOf(out, 3000))
	}
	for _, want := range []string{"Loaded 4 ministries", "admin@sankofa.example.org", "officer.gh@moh.example.org", "demo-password-1"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("seed output lacks %q:\n%s", want, out)
		}
	}
	s := startServer(t, dir)
	s.mustBeAlive(t)
	for _, who := range [][2]string{{"admin@sankofa.example.org", "sankofa-admin-demo"}, {"officer.gh@moh.example.org", "demo-password-1"}} {
		tok := s.login(t, who[0], who[1])
		s.do(t, http.StatusOK, http.MethodGet, "/v1/assignments?status=open", tok, nil, nil)
	}
	s.checkOnline(t)
	s.checkOffline(t)
}
