package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"sankofa"
	"sankofa/api"
	"sankofa/console"
	"sankofa/matcher"
	"sankofa/metrics"
	"sankofa/notifier"
	"sankofa/search"
	"sankofa/store"
	"sankofa/supervise"
	"sankofa/workflow"
)

// The adapters fit the interfaces the API consumes.
var (
	_ api.AccountStore     = (*store.Store)(nil)
	_ api.SessionStore     = (*store.Store)(nil)
	_ api.ProfileStore     = (*store.Store)(nil)
	_ api.AssignmentStore  = (*store.Store)(nil)
	_ api.IdempotencyStore = (*store.Store)(nil)
	_ api.Outbox           = (*store.Store)(nil)
	_ api.ShortlistStore   = (*store.Store)(nil)
	_ api.AuditLog         = (*store.Store)(nil)
	_ api.Index            = (*search.Index)(nil)
	_ api.Publisher        = (*notifier.Notifier)(nil)
	_ api.Pinger           = (*store.Store)(nil)
	_ api.Pinger           = (*notifier.Notifier)(nil)
	_ api.BusStatus        = (*notifier.Notifier)(nil)
	_ api.OutboxCounter    = (*store.Store)(nil)
	_ api.IndexCounter     = (*search.Index)(nil)
	_ api.WorkerLister     = (*supervise.Supervisor)(nil)
	_ api.Observatory      = (*search.Observatory)(nil)
)

// The safeguards list serves the API and the matcher.
var (
	_ api.SafeguardStore      = (*store.Safeguards)(nil)
	_ matcher.SafeguardSource = (*store.Safeguards)(nil)
)

// The adapters fit the interfaces the workflow consumes.
var (
	_ workflow.AccountReader   = (*store.Store)(nil)
	_ workflow.ProfileStore    = (*store.Store)(nil)
	_ workflow.AssignmentStore = (*store.Store)(nil)
	_ workflow.OfferStore      = (*store.Store)(nil)
	_ workflow.Outbox          = (*store.Store)(nil)
	_ workflow.Index           = (*search.Index)(nil)
	_ workflow.Publisher       = (*notifier.Notifier)(nil)
	_ workflow.OfferScanner    = (*store.Store)(nil)
	_ workflow.ErasureStore    = (*store.Store)(nil)
	_ workflow.EventPurger     = (*notifier.Notifier)(nil)
	_ workflow.IndexEraser     = (*search.Index)(nil)
)

// app is the wired process: store, event bus, index and API.
type app struct {
	cfg    Config
	log    *slog.Logger
	store  *store.Store
	bus    *notifier.Notifier
	index  *search.Index
	match  *matcher.Matcher
	server *api.Server
	// flow runs the application operations for the API and the consumers.
	flow *workflow.Workflow
	// metrics counts what the process does; served at /metrics.
	metrics *metrics.Metrics
	// repairOnce runs the repair after a crash once per process.
	repairOnce sync.Once
	urls       notifier.AddressPolicy
	// replica names this process's index consumer; it is kept in the data
	// dir, which holds this replica's own search index.
	replica string
	// safeguards keeps the WHO safeguards list the matcher applies.
	safeguards *store.Safeguards
	// exports runs FHIR Bulk Data exports (files under the data dir).
	exports *api.FHIRExports
	// reports indexes published mission reports (in memory, filled from
	// the store at start); missions runs evaluations and reports.
	reports  *search.Reports
	missions *workflow.Missions
	// observatory answers the public observatory from the index.
	observatory *search.Observatory
}

// openApp starts every adapter and wires the API over them.
func openApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: log, metrics: metrics.New()}
	ok := false
	defer func() {
		if !ok {
			a.close()
		}
	}()
	var err error
	a.store, err = store.Open(ctx, store.Config{URI: cfg.MongoURI, Database: cfg.MongoDatabase, DataDir: cfg.DataDir, Logger: log})
	if err != nil {
		return nil, err
	}
	a.bus, err = notifier.Open(ctx, notifier.Config{URL: cfg.NATSURL, DataDir: cfg.DataDir, Replicas: int(cfg.NATSReplicas), Logger: log})
	if err != nil {
		return nil, err
	}
	if a.safeguards, err = store.OpenSafeguards(ctx, a.store); err != nil {
		return nil, err
	}
	a.match = matcher.New(matcher.Default())
	a.match.UseSafeguards(a.safeguards, chaosClock())
	a.index, err = search.Open(filepath.Join(cfg.DataDir, "search"), a.match)
	if err != nil {
		return nil, err
	}
	if a.index.Rebuilt {
		log.Info("search index missing, corrupt or outdated; rebuilding from the database")
		if err := a.reindex(ctx); err != nil {
			return nil, err
		}
	}
	if a.replica, err = replicaID(cfg.DataDir); err != nil {
		return nil, err
	}
	secret, err := jwtSecret(cfg, log)
	if err != nil {
		return nil, err
	}
	apiCfg := api.DefaultConfig()
	apiCfg.JWTSecret = secret
	apiCfg.Issuer, apiCfg.Audience = cfg.JWTIssuer, cfg.JWTAudience
	apiCfg.AccessTTL, apiCfg.RefreshTTL = cfg.AccessTTL, cfg.RefreshTTL
	apiCfg.MaxBodyBytes = cfg.MaxBodyBytes
	apiCfg.HashConcurrency = int(cfg.HashConcurrency)
	apiCfg.Logger = log
	apiCfg.Metrics = a.metrics
	apiCfg.TrustedProxies, _ = cfg.TrustedProxyNets() // checked by Config.Validate
	apiCfg.NotificationRetention = cfg.NotificationRetention
	apiCfg.SupportContact = cfg.supportContact()
	// nil (time.Now) unless built with the chaos tag, for the journeys.
	apiCfg.Now = chaosClock()
	allowPrivate, _ := strconv.ParseBool(cfg.WebhookAllowPrivate) // checked by Validate
	a.urls = notifier.AddressPolicy{AllowPrivate: allowPrivate}
	a.exports = api.NewFHIRExports(api.FHIRExportConfig{Jobs: a.store, Profiles: a.store, Index: a.index,
		Dir: filepath.Join(cfg.DataDir, "fhir-exports"), Page: chaosExportPage(), Replica: a.replica, Now: apiCfg.Now, Logger: log})
	a.flow = workflow.New(workflow.Deps{
		Accounts: a.store, Profiles: a.store, Assignments: a.store, Offers: a.store, Outbox: a.store,
		Index: a.index, Events: a.bus, Erasure: a.store, Purger: a.bus, Exports: a.exports, Matcher: a.match, Metrics: a.metrics, Logger: log,
		SingleWriter: a.store.Embedded(), Now: apiCfg.Now,
	})
	if err := a.openReports(ctx, apiCfg.Now); err != nil {
		return nil, err
	}
	ui, err := console.New(console.Options{})
	if err != nil {
		return nil, err
	}
	a.observatory = a.index.Observatory(cfg.observatoryRules(), cfg.ObservatoryRefresh)
	a.server = api.New(apiCfg, api.Deps{
		Accounts: a.store, Sessions: a.store, Profiles: a.store, Assignments: a.store, Offers: a.store,
		Idempotency: a.store, Outbox: a.store, Index: a.index, Events: a.bus, Matcher: a.match, Workflow: a.flow,
		Inbox: a.store, Webhooks: a.store, Shortlists: a.store, Audit: a.store, Safeguards: a.safeguards, WebhookURLs: a.urls, Live: a.bus, DeadLetters: a.bus,
		Missions: a.missions, ReportSearch: a.reports, ReportStore: a.store,
		FHIRExports: a.exports, FHIRExportJobs: a.store, Observatory: a.observatory,
		Ready:   map[string]api.Pinger{"mongodb": a.store, "nats": a.bus},
		Console: ui,
		// The indexer consumer is the one followEvents runs.
		Status: api.StatusSources{Bus: a.bus, Outbox: a.store, Index: a.index, IndexConsumer: "indexer-" + a.replica},
	})
	if cfg.AdminEmail != "" {
		if err := a.server.EnsureAdmin(ctx, cfg.AdminEmail, cfg.AdminPassword); err != nil {
			return nil, fmt.Errorf("create first admin: %w", err)
		}
	}
	mode := map[bool]string{true: "embedded", false: "external"}
	log.Info("sankofa ready", "mongodb", mode[a.store.Embedded()], "nats", mode[cfg.NATSURL == ""], "data_dir", cfg.DataDir)
	ok = true
	return a, nil
}

// relayFirstGrace is how old an unpublished event must be for the first
// relay pass. When this process is the only writer (embedded store) none
// can be in flight at start-up, so everything left is re-sent at once.
func (a *app) relayFirstGrace() time.Duration {
	if a.store.Embedded() {
		return 0
	}
	return a.cfg.OutboxGrace
}

// reindex fills the search index from the database.
func (a *app) reindex(ctx context.Context) error {
	start := time.Now()
	b := a.index.NewBulk()
	// A profile is matched only while its account is active.
	active := map[string]bool{}
	err := errors.Join(
		a.store.EachAccount(ctx, func(acc *sankofa.Account) error {
			active[acc.ID] = acc.Status == sankofa.StatusActive
			return b.AddAccount(acc)
		}),
		a.store.EachProfileAndTombstone(ctx, func(p *sankofa.Profile) error { return b.AddProfile(p, active[p.AccountID]) }, b.AddDeletedProfile),
		a.store.EachAssignment(ctx, b.AddAssignment),
		a.store.EachOffer(ctx, b.AddOffer),
	)
	if err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if err := b.Flush(); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	if err := a.index.Built(); err != nil {
		return fmt.Errorf("reindex: %w", err)
	}
	a.log.Info("search index rebuilt", "documents", b.Count, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

func (a *app) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if a.index != nil {
		_ = a.index.Close()
	}
	if a.reports != nil {
		_ = a.reports.Close()
	}
	if a.bus != nil {
		a.bus.Close()
	}
	if a.store != nil {
		_ = a.store.Close(ctx)
	}
}

// replicaID returns the id of this replica, made on first start.
func replicaID(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "replica-id")
	if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
		return strings.TrimSpace(string(b)), nil
	}
	id := strings.TrimPrefix(sankofa.NewID("r"), "r_")
	if err := os.WriteFile(path, []byte(id), 0o600); err != nil {
		return "", fmt.Errorf("keep replica id: %w", err)
	}
	return id, nil
}
