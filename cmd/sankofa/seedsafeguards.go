package main

import (
	"time"

	"sankofa"
)

// The generated workers all live outside the countries of the WHO
// safeguards list, so the list never restricts them. These few live in
// listed countries, each fitting one demo assignment under one of the
// list's exceptions, so that the ministries' match lists show them.

// seedAgreements are the government-to-government agreements the demo
// records. The Ghana-Nigeria one is made up for the demo: it lets the
// Ghanaian ministry approach workers living in Nigeria for on-site work.
func seedAgreements(day0 time.Time) []sankofa.SafeguardAgreementInput {
	return []sankofa.SafeguardAgreementInput{{
		EmployerCountry: "GH", SourceCountry: "NG",
		Title:     "Demo: Ghana-Nigeria agreement on the exchange of health professionals (illustrative)",
		ValidFrom: sankofa.DateOf(day0.AddDate(-1, 0, 0)),
	}}
}

// seedSafeguardWorkers are the workers living in listed countries.
func seedSafeguardWorkers(day0 time.Time) []SeedProfessional {
	window := []sankofa.Window{{From: sankofa.DateOf(day0.AddDate(0, 0, 1)), To: sankofa.DateOf(day0.AddDate(0, 0, 330))}}
	licence := func(country, body, number string) []sankofa.Licence {
		return []sankofa.Licence{{Country: country, Body: body, Number: number, Expires: sankofa.DateOf(day0.AddDate(5, 0, 0))}}
	}
	worker := func(name, email, origin, residence string, in sankofa.ProfileInput) SeedProfessional {
		in.FullName, in.OriginCountry, in.ResidenceCountry = name, origin, residence
		in.Availability = window
		in.Alerts = true
		return SeedProfessional{
			Registration: sankofa.Registration{Email: email, Password: SeedPassword, Name: name,
				Role: sankofa.RoleProfessional, Country: origin},
			Profile: in,
		}
	}
	out := []SeedProfessional{
		// A return: a Ghanaian obstetrician living in Nigeria, for Ghana's
		// on-site obstetric post.
		worker("Kwabena Ofori", "kwabena.ofori.sg1@example.org", "GH", "NG", sankofa.ProfileInput{
			Profession: "2212", Specialties: []string{"obstetrics and gynaecology"},
			Skills:    []string{"caesarean section", "emergency obstetric and newborn care", "obstetric ultrasound", "clinical teaching"},
			Languages: []sankofa.Language{{Code: "en", Level: "C2"}, {Code: "tw", Level: "C2"}},
			Timezone:  "Africa/Lagos", YearsExperience: 14, Modes: []sankofa.Mode{sankofa.ModeOnsite},
			Licences:  licence("NG", "Medical and Dental Council of Nigeria", "MDCN/R/48213"),
			ShareWith: []string{"GH"},
			Bio:       "Consultant obstetrician at a teaching hospital in Lagos; trained in Kumasi.",
			Contact:   &sankofa.Contact{Email: "kwabena.ofori.sg1@example.org", Phone: "+2348031234567"},
		}),
		// Virtual work: a Cameroonian paediatrician living in Nigeria, for
		// Ghana's virtual mentoring in paediatric emergency care.
		worker("Mireille Fotso", "mireille.fotso.sg2@example.org", "CM", "NG", sankofa.ProfileInput{
			Profession: "2212", Specialties: []string{"paediatrics", "emergency medicine"},
			Skills:    []string{"paediatric triage", "neonatal resuscitation", "telemedicine", "clinical teaching"},
			Languages: []sankofa.Language{{Code: "en", Level: "C2"}, {Code: "fr", Level: "C2"}},
			Timezone:  "Africa/Lagos", YearsExperience: 11, Modes: []sankofa.Mode{sankofa.ModeVirtual},
			VirtualHoursPerWeek: 8,
			Licences:            licence("NG", "Medical and Dental Council of Nigeria", "MDCN/R/51977"),
			ShareWith:           []string{"CM", "GH"},
			Bio:                 "Paediatric emergency physician in Abuja.",
			Contact:             &sankofa.Contact{Email: "mireille.fotso.sg2@example.org", Phone: "+2348097654321"},
		}),
		// An agreement: a Kenyan laboratory scientist living in Nigeria,
		// for Ghana's on-site TB and HIV diagnostics post (see
		// seedAgreements).
		worker("Wanjiru Kamau", "wanjiru.kamau.sg3@example.org", "KE", "NG", sankofa.ProfileInput{
			Profession: "3212", Specialties: []string{"clinical microbiology"},
			Skills:    []string{"PCR", "microscopy", "GeneXpert", "biosafety"},
			Languages: []sankofa.Language{{Code: "en", Level: "C2"}, {Code: "sw", Level: "C2"}},
			Timezone:  "Africa/Lagos", YearsExperience: 8, Modes: []sankofa.Mode{sankofa.ModeOnsite},
			ShareWith: []string{"KE", "GH"},
			Bio:       "Molecular diagnostics lead at a reference laboratory in Ibadan.",
			Contact:   &sankofa.Contact{Email: "wanjiru.kamau.sg3@example.org", Phone: "+2348025550199"},
		}),
		// Her own initiative: a Cameroonian nurse living in Ghana who
		// expresses interest in Nigeria's on-site HIV post; without it the
		// list would keep Nigeria from approaching her.
		worker("Brenda Nkwenti", "brenda.nkwenti.sg4@example.org", "CM", "GH", sankofa.ProfileInput{
			Profession: "2221", Specialties: []string{"HIV care"},
			Skills:    []string{"ART management", "HIV testing and counselling", "clinical mentoring"},
			Languages: []sankofa.Language{{Code: "en", Level: "C2"}, {Code: "fr", Level: "C1"}},
			Timezone:  "Africa/Accra", YearsExperience: 9, Modes: []sankofa.Mode{sankofa.ModeOnsite},
			Licences:  licence("GH", "Nursing and Midwifery Council of Ghana", "RGN 0412775"),
			ShareWith: []string{"CM", "NG"},
			Bio:       "HIV nurse specialist at a regional hospital in Ghana.",
			Contact:   &sankofa.Contact{Email: "brenda.nkwenti.sg4@example.org", Phone: "+233201234567"},
		}),
	}
	out[len(out)-1].Interested = []string{"HIV nurse mentor for ART scale-up"}
	return out
}
