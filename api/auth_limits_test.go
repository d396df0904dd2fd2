package api_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"sankofa"
	"sankofa/api"
)

// TestAuth_LoginBurst sends 100 wrong passwords for one account at once:
// only the free failures (and the one attempt that starts the back-off)
// are evaluated, every other gets 429.
func TestAuth_LoginBurst(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	body, _ := json.Marshal(sankofa.Credentials{Email: acc.Email, Password: "wrong-password-x"})
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[int]int{}
		start  = make(chan struct{})
	)
	for range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := http.Post(e.URL+"/v1/auth/login", "application/json", bytes.NewReader(body))
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			mu.Lock()
			counts[res.StatusCode]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	if counts[401] > 6 || counts[401]+counts[429] != 100 {
		t.Fatalf("answers %v: want at most 6 × 401 (5 free failures and the one that starts the back-off), the rest 429", counts)
	}
}

// TestAuth_LogoutChecksSecret: a token with the right session id but
// another secret revokes nothing, and gets the answer an unknown token
// gets.
func TestAuth_LogoutChecksSecret(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	var tp api.TokenPair
	e.must(t, 200, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: testPassword}}).JSON(t, &tp)
	id, _, _ := bytes.Cut([]byte(tp.RefreshToken), []byte("."))
	forged := e.do(t, req{Method: "POST", Path: "/v1/auth/logout", Body: map[string]string{"refresh_token": string(id) + ".not-the-secret"}})
	unknown := e.do(t, req{Method: "POST", Path: "/v1/auth/logout", Body: map[string]string{"refresh_token": "ses_unknown.not-the-secret"}})
	if forged.Status != unknown.Status || !bytes.Equal(forged.Body, unknown.Body) {
		t.Errorf("a wrong secret answers %d %s, an unknown token %d %s", forged.Status, forged.Body, unknown.Status, unknown.Body)
	}
	var next api.TokenPair
	e.must(t, 200, req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": tp.RefreshToken}}).JSON(t, &next)
	t.Run("RightSecretRevokes", func(t *testing.T) {
		e.must(t, 204, req{Method: "POST", Path: "/v1/auth/logout", Body: map[string]string{"refresh_token": next.RefreshToken}})
		e.must(t, 401, req{Method: "POST", Path: "/v1/auth/refresh", Body: map[string]string{"refresh_token": next.RefreshToken}})
	})
}

// TestAuth_SuspendedSameAnswer: a suspended account's sign-in is refused
// with the same answer whatever the password, and every try counts.
func TestAuth_SuspendedSameAnswer(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.Professional(t)
	e.must(t, 200, req{Method: "POST", Path: "/v1/admin/accounts/" + acc.ID + "/suspend", Token: e.Admin(t)})
	try := func(password string) (int, api.Problem) {
		got := e.do(t, req{Method: "POST", Path: "/v1/auth/login", Body: sankofa.Credentials{Email: acc.Email, Password: password}})
		p := got.Problem(t)
		p.RequestID = ""
		return got.Status, p
	}
	rs, rp := try(testPassword)
	ws, wp := try("wrong-password-x")
	if rs != ws || !reflect.DeepEqual(rp, wp) {
		t.Fatalf("right password: %d %+v; wrong password: %d %+v", rs, rp, ws, wp)
	}
	if rs != 401 {
		t.Errorf("status %d, want 401", rs)
	}
	t.Run("Counted", func(t *testing.T) {
		for range 3 { // two tries above, five with these
			try(testPassword)
		}
		if s, _ := try(testPassword); s != 401 {
			t.Fatalf("6th attempt %d, want 401 (it starts the back-off)", s)
		}
		if s, _ := try(testPassword); s != 429 {
			t.Fatalf("7th attempt %d, want 429", s)
		}
	})
}
