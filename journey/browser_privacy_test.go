package journey_test

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// TestBrowser_PrivacyRights: a worker signs up in the console, downloads
// her data from her settings (a JSON file holding her name and her
// consent history), then deletes her account: a wrong password is refused
// next to the field and deletes nothing; her password, after the
// confirmation, erases the account, signs her out with a notice, and she
// cannot sign in again.
func TestBrowser_PrivacyRights(t *testing.T) {
	needChromium(t)
	s := startServer(t, "")
	b := newBrowser(t, s)
	p := b.context(t, desktop, "en")
	downloads := t.TempDir()
	saveDownloadsIn(t, p, downloads)

	// She signs up; she has no profile yet.
	p.allowHTTP(http.StatusNotFound, "/v1/profiles/me")
	p.visit("/signup")
	p.waitText("Create an account")
	p.click(containing("A health worker"))
	p.fill("Full name", "Efua Boateng")
	mail := email("privacy")
	p.fill("Email", mail)
	p.fill("Password", password)
	p.click("Create my account")
	p.waitText("My profile")

	// Her profile, saved through the API, shared with Ghana and then
	// Nigeria too: two consents.
	tok := s.login(t, mail, password)
	var prof struct{ ID string }
	r := s.do(t, http.StatusCreated, http.MethodPut, "/v1/profiles/me", tok, map[string]any{
		"full_name": "Efua Boateng", "profession": "2222", "languages": []map[string]string{{"code": "en", "level": "C2"}},
		"origin_country": "GH", "residence_country": "GB", "timezone": "Europe/London", "modes": []string{"onsite"},
		"contact": map[string]string{"phone": "+447700900456"}}, &prof)
	s.do(t, http.StatusOK, http.MethodPatch, "/v1/profiles/me", tok, map[string]any{"share_with": []string{"GH", "NG"}}, nil,
		"If-Match", r.header.Get("ETag"))

	// Download my data: a file named for today, holding her.
	p.visit("/settings")
	p.waitText("Download my data")
	p.click("Download my data")
	p.waitText("Your data is downloaded.")
	file := waitDownload(t, downloads, "sankofa-export-"+time.Now().UTC().Format(time.DateOnly)+".json")
	var doc struct {
		Format  string `json:"format"`
		Account struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		} `json:"account"`
		Profile struct {
			ID             string `json:"id"`
			FullName       string `json:"full_name"`
			ConsentHistory []struct {
				At        time.Time `json:"at"`
				ShareWith []string  `json:"share_with"`
			} `json:"consent_history"`
		} `json:"profile"`
	}
	if err := json.Unmarshal(file, &doc); err != nil {
		t.Fatalf("the download is not JSON: %v\n%.300s", err, file)
	}
	if doc.Format != "sankofa-export/1" || doc.Account.Name != "Efua Boateng" || doc.Account.Email != mail ||
		doc.Profile.ID != prof.ID || doc.Profile.FullName != "Efua Boateng" {
		t.Errorf("the export holds %+v", doc)
	}
	if h := doc.Profile.ConsentHistory; len(h) != 2 || !slices.Equal(h[0].ShareWith, []string{"GH"}) ||
		!slices.Equal(h[1].ShareWith, []string{"GH", "NG"}) || h[1].At.Before(h[0].At) {
		t.Errorf("consent history %+v, want [GH] then [GH NG]", h)
	}

	// Delete my account: what goes and what ministries keep, then the
	// password and a confirmation.
	p.click("Delete my account…")
	p.waitText("Deleted for good:")
	p.waitText(containing("erased professional"))
	p.click("Continue")
	p.in("Your password").waitText("Type your password to confirm.")
	p.fill("Your password", "not-her-password-1")
	p.click("Continue")
	p.waitText("This cannot be undone.")
	p.waitText(containing(mail))
	p.catalogueCheck(t, "en")
	p.axe(t)
	p.screenshot("privacy-delete-confirm")
	p.allowHTTP(http.StatusForbidden, "/v1/me")
	p.click("Yes, delete my account for good")
	p.in("Your password").waitText("This is not your password. Nothing was deleted.")
	s.do(t, http.StatusOK, http.MethodGet, "/v1/me", tok, nil, nil) // still there

	p.fill("Your password", password)
	p.click("Continue")
	p.click("Yes, delete my account for good")
	p.waitText("Your account has been erased.")
	p.waitText("Sign in")
	if loc := p.location(); !strings.HasPrefix(loc, "/signin") {
		t.Errorf("after the erasure the console is at %s, want the sign-in page", loc)
	}

	// She cannot come back: not with the cookie (a reload stays signed
	// out), nor with her password.
	p.visit("/settings")
	p.waitText("Sign in")
	p.allowHTTP(http.StatusUnauthorized, "/v1/auth/login")
	p.fill("Email", mail)
	p.fill("Password", password)
	p.in("Password").click("Sign in")
	p.waitText(containing("the e-mail address or password is wrong"))
	s.do(t, http.StatusUnauthorized, http.MethodPost, "/v1/auth/login", "", map[string]string{"email": mail, "password": password}, nil)
}

// saveDownloadsIn makes the page's browser context save downloads in dir,
// under the names the page gives them.
func saveDownloadsIn(t testing.TB, p *page, dir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir,
		BrowserContextID: chromedp.FromContext(p.ctx).BrowserContextID}); err != nil {
		t.Fatalf("set the download folder: %v", err)
	}
}

// waitDownload waits for the file name to be complete in dir and returns
// its content.
func waitDownload(t testing.TB, dir, name string) []byte {
	t.Helper()
	deadline := time.Now().Add(defaultWait)
	for {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err == nil {
			return b
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			t.Fatalf("no %s downloaded after %v; the folder holds %v", name, defaultWait, names)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
