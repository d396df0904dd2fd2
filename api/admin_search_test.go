package api_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"sankofa"
)

func TestAdminAccounts_Search(t *testing.T) {
	e := newEnv(t)
	register := func(email, name string, role sankofa.Role, org string) sankofa.Account {
		t.Helper()
		r := sankofa.Registration{Email: email, Password: testPassword, Name: name, Role: role, Organization: org}
		if role == sankofa.RoleMinistry {
			r.Country = "SN"
		}
		var a sankofa.Account
		e.must(t, 201, req{Method: "POST", Path: "/v1/auth/register", Body: r}).JSON(t, &a)
		return a
	}
	helene := register("h.dupont@clinique.example.fr", "Hélène Dupont-Mbeki", sankofa.RoleProfessional, "")
	amina := register("amina.diallo@sante.example.sn", "Amina Diallo", sankofa.RoleMinistry, "Ministère de la Santé et de l'Action sociale")
	kofi := register("kofi_mensah@health.example.gh", "Kofi Mensah", sankofa.RoleProfessional, "Korle Bu Teaching Hospital")

	search := func(t *testing.T, query string) []string {
		t.Helper()
		var page struct {
			Items []sankofa.Account `json:"items"`
		}
		e.must(t, 200, req{Method: "GET", Path: "/v1/admin/accounts?" + query, Token: e.Admin(t)}).JSON(t, &page)
		ids := []string{}
		for _, a := range page.Items {
			ids = append(ids, a.ID)
		}
		slices.Sort(ids)
		return ids
	}
	ids := func(as ...sankofa.Account) []string {
		out := []string{}
		for _, a := range as {
			out = append(out, a.ID)
		}
		slices.Sort(out)
		return out
	}
	for _, tc := range []struct {
		name, query string
		want        []string
	}{
		{"NamePrefix", "q=hel", ids(helene)},
		{"AccentsAndCase", "q=" + url.QueryEscape("HÉLÈNE"), ids(helene)},
		{"AccentsInTheIndexNotTheQuery", "q=helene+mbek", ids(helene)},
		{"SecondWordOfAHyphenatedName", "q=mbeki", ids(helene)},
		{"EveryWordMustMatch", "q=amina+mensah", ids()},
		{"Organization", "q=sante", ids(amina)},
		{"OrganizationWithAccent", "q=" + url.QueryEscape("minist"), ids(amina)},
		{"WholeEmail", "q=" + url.QueryEscape("kofi_mensah@health.example.gh"), ids(kofi)},
		{"WholeEmailUppercase", "q=" + url.QueryEscape("Amina.Diallo@Sante.Example.SN"), ids(amina)},
		{"EmailWord", "q=diallo", ids(amina)},
		{"EmailDomain", "q=clinique", ids(helene)},
		{"WithRole", "q=k&role=professional", ids(kofi)},
		{"WithRoleNoMatch", "q=amina&role=professional", ids()},
		{"NoMatch", "q=zzz", ids()},
		{"BlankIsNoFilter", "q=+&role=ministry", ids(amina)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := search(t, tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("%s: got %v, want %v", tc.query, got, tc.want)
			}
		})
	}

	t.Run("ErrTooLong", func(t *testing.T) {
		r := e.do(t, req{Method: "GET", Path: "/v1/admin/accounts?q=" + strings.Repeat("a", 201), Token: e.Admin(t), Bad: true})
		if r.Status != 400 {
			t.Fatalf("status %d, want 400; body %s", r.Status, r.Body)
		}
		if p := r.Problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "q" {
			t.Errorf("problem %+v, want a field error on q", p)
		}
	})
}
