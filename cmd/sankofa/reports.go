package main

import (
	"context"
	"fmt"
	"time"

	"sankofa"
	"sankofa/search"
	"sankofa/store"
	"sankofa/workflow"
)

// The adapters fit what the mission reports consume.
var (
	_ workflow.ReportStore = (*store.Store)(nil)
	_ workflow.ReportIndex = (*search.Reports)(nil)
)

// openReports builds the in-memory index of published mission reports
// from the store, and the mission operations over it.
func (a *app) openReports(ctx context.Context, now func() time.Time) error {
	var err error
	if a.reports, err = search.OpenReports(a.match); err != nil {
		return err
	}
	start, n := time.Now(), 0
	if err := a.store.EachReport(ctx, func(r *sankofa.Report) error { n++; return a.reports.Put(r) }); err != nil {
		return fmt.Errorf("index mission reports: %w", err)
	}
	if n > 0 {
		a.log.Info("mission reports indexed", "reports", n, "took", time.Since(start).Round(time.Millisecond))
	}
	a.missions = workflow.NewMissions(workflow.MissionDeps{
		Offers: a.store, Reports: a.store, Accounts: a.store, Profiles: a.store, Assignments: a.store,
		OfferIndex: a.index, ReportIndex: a.reports, Events: a.bus, Matcher: a.match, Logger: a.log, Now: now,
	})
	return nil
}
