// Package api is Sankofa's REST API, built on Echo v4. routes.go lists
// every route; each resource has its own file; problem.go turns errors
// into RFC 9457 problem+json.
package api

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/matcher"
	"sankofa/metrics"
	"sankofa/workflow"
)

// AccountStore keeps accounts.
type AccountStore interface {
	CreateAccount(ctx context.Context, a *sankofa.Account, ev sankofa.Event) (sankofa.PendingEvent, error)
	Account(ctx context.Context, id string) (*sankofa.Account, error)
	AccountByEmail(ctx context.Context, email string) (*sankofa.Account, error)
	UpdateAccount(ctx context.Context, a *sankofa.Account, ev sankofa.Event) (sankofa.PendingEvent, error)
}

// SessionStore keeps refresh-token families.
type SessionStore interface {
	CreateSession(ctx context.Context, s *sankofa.Session) error
	RotateSession(ctx context.Context, id, presented, next string, use sankofa.SessionUse) (*sankofa.Session, error)
	RevokeSession(ctx context.Context, id string) error
	Session(ctx context.Context, id string) (*sankofa.Session, error)
	// SessionsOf lists an account's sessions, for its data export.
	SessionsOf(ctx context.Context, accountID string) ([]sankofa.Session, error)
}

// ProfileStore keeps workers' profiles: what the workflow needs, and
// deletion.
type ProfileStore interface {
	workflow.ProfileStore
	DeleteProfile(ctx context.Context, p *sankofa.Profile, ev sankofa.Event) (sankofa.PendingEvent, error)
	// LicenceQueue returns profiles with a licence whose stored
	// verification status is one of statuses (at most limit profiles).
	LicenceQueue(ctx context.Context, statuses []sankofa.VerificationStatus, limit int) ([]*sankofa.Profile, error)
}

// AssignmentStore keeps ministries' assignments: what the workflow needs,
// and creation.
type AssignmentStore interface {
	workflow.AssignmentStore
	CreateAssignment(ctx context.Context, a *sankofa.Assignment, ev sankofa.Event) (sankofa.PendingEvent, error)
	// EachAssignment walks every assignment, for a data export: interest
	// is kept inside the assignments, so a worker's is found by a scan.
	EachAssignment(ctx context.Context, fn func(*sankofa.Assignment) error) error
}

// OfferStore keeps offers.
type OfferStore = workflow.OfferStore

// IdempotencyStore records responses under Idempotency-Key.
type IdempotencyStore interface {
	ReserveIdempotencyKey(ctx context.Context, key, requestHash string) (*sankofa.Replay, bool, error)
	CompleteIdempotencyKey(ctx context.Context, key string, status int, headers map[string]string, body []byte) error
	ReleaseIdempotencyKey(ctx context.Context, key string) error
}

// Outbox lists and acknowledges committed events.
type Outbox = workflow.Outbox

// Index serves lists and filters, and takes what the workflow writes.
type Index interface {
	workflow.Index
	Accounts(ctx context.Context, f sankofa.AccountFilter) (sankofa.Page, error)
	Assignments(ctx context.Context, f sankofa.AssignmentFilter) (sankofa.Page, error)
	AssignmentList(ctx context.Context, f sankofa.AssignmentFilter) ([]*sankofa.Assignment, string, error)
	SearchProfiles(ctx context.Context, q sankofa.ProfileQuery) (sankofa.ProfileResults, error)
	MatchCandidates(ctx context.Context, a *sankofa.Assignment, af matcher.AssignmentFeatures, pool int) ([]matcher.ProfileCandidate, error)
	OpenAssignmentsFor(ctx context.Context, p *sankofa.Profile) ([]matcher.AssignmentCandidate, error)
}

// Inbox keeps people's notifications.
type Inbox interface {
	Notifications(ctx context.Context, userID string, unreadOnly bool, cursor string, limit int, since time.Time) (sankofa.NotificationPage, error)
	NotificationsAfter(ctx context.Context, userID string, after int64, limit int) ([]sankofa.Notification, error)
	MarkNotificationRead(ctx context.Context, userID, id string) error
	MarkAllNotificationsRead(ctx context.Context, userID string) error
	UnreadCount(ctx context.Context, userID string) (int, error)
	LastNotificationSeq(ctx context.Context, userID string) (int64, error)
}

// WebhookStore keeps ministries' webhooks.
type WebhookStore interface {
	AddWebhook(ctx context.Context, h sankofa.Webhook) error
	Webhooks(ctx context.Context, accountID string) ([]sankofa.Webhook, error)
	DeleteWebhook(ctx context.Context, accountID, id string) error
}

// ShortlistStore keeps each assignment's shortlist.
type ShortlistStore interface {
	Shortlist(ctx context.Context, assignmentID string) ([]sankofa.ShortlistEntry, error)
	PutShortlistEntry(ctx context.Context, assignmentID string, e sankofa.ShortlistEntry) (added bool, err error)
	RemoveShortlistEntry(ctx context.Context, assignmentID, profileID string) error
}

// URLChecker refuses webhook URLs that lead into private networks.
type URLChecker interface {
	CheckURL(ctx context.Context, rawURL string) error
}

// Live wakes a person's notification stream when their inbox grows.
type Live interface {
	Listen(userID string) (<-chan struct{}, func(), error)
}

// DeadLetters lists events the consumers gave up on.
type DeadLetters interface {
	DeadLetters(ctx context.Context, limit int) ([]sankofa.DeadLetter, error)
}

// Publisher publishes domain events.
type Publisher = workflow.Publisher

// Pinger checks a dependency for /readyz.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are the adapters the API runs on.
type Deps struct {
	Accounts    AccountStore
	Sessions    SessionStore
	Profiles    ProfileStore
	Assignments AssignmentStore
	Offers      OfferStore
	Idempotency IdempotencyStore
	Outbox      Outbox
	Inbox       Inbox
	Webhooks    WebhookStore
	Shortlists  ShortlistStore
	// Safeguards keeps the WHO safeguards list; nil answers its routes
	// with 503 (only partial servers in tests leave it out).
	Safeguards SafeguardStore
	// Audit keeps the audit trail; nil records nothing (only partial
	// servers in tests leave it out).
	Audit       AuditLog
	WebhookURLs URLChecker
	Live        Live
	DeadLetters DeadLetters
	Index       Index
	Events      Publisher
	Matcher     *matcher.Matcher
	// Workflow runs the application operations (offers, withdrawals,
	// interest) that handlers call; it also dispatches committed events.
	Workflow *workflow.Workflow
	// Ready names the dependencies /readyz checks.
	Ready map[string]Pinger
	// Status feeds the admins' status page with what /readyz does not say.
	Status StatusSources
	// Console serves the web console on every GET and HEAD path the API
	// does not claim; nil serves none.
	Console http.Handler
	// FHIRExports runs FHIR Bulk Data exports, whose jobs FHIRExportJobs
	// keeps; nil answers the export routes with 503.
	FHIRExports    *FHIRExports
	FHIRExportJobs FHIRExportStore
	// Missions runs missions' evaluations and reports; ReportSearch and
	// ReportStore serve published reports. nil answers their routes with
	// 503 (only partial servers in tests leave them out).
	Missions     *workflow.Missions
	ReportSearch ReportSearch
	ReportStore  ReportReader
	// Observatory serves the public observatory; nil answers its routes
	// with 503 (only partial servers in tests leave it out).
	Observatory Observatory
}

// Config tunes the API.
type Config struct {
	JWTSecret  []byte
	Issuer     string
	Audience   string
	AccessTTL  time.Duration
	RefreshTTL time.Duration
	// MaxBodyBytes caps request bodies (413 past it).
	MaxBodyBytes int64
	// HashConcurrency caps simultaneous password hashes.
	HashConcurrency int
	// LoginFreeFailures is how many failed logins per account (4x per IP)
	// go unpunished before back-off starts.
	LoginFreeFailures int
	// NotificationRetention is how long notifications are kept.
	NotificationRetention time.Duration
	Logger                *slog.Logger
	Metrics               *metrics.Metrics // nil counts nothing
	TrustedProxies        []*net.IPNet     // X-Forwarded-For and X-Forwarded-Proto are believed only from these; none: the peer address
	// SupportContact is whom GET /v1/about tells people to contact, e.g.
	// about a forgotten password; empty names nobody.
	SupportContact string
	// Version is the build GET /v1/about reports; empty: the module
	// version stamped into the binary, or "dev".
	Version string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// DefaultConfig returns the settings used unless overridden.
func DefaultConfig() Config {
	return Config{
		Issuer:                "sankofa",
		Audience:              "sankofa-api",
		AccessTTL:             15 * time.Minute,
		RefreshTTL:            30 * 24 * time.Hour,
		MaxBodyBytes:          1 << 20,
		HashConcurrency:       4,
		LoginFreeFailures:     5,
		NotificationRetention: 90 * 24 * time.Hour,
	}
}

// Server is the HTTP API.
type Server struct {
	echo       *echo.Echo
	deps       Deps
	cfg        Config
	log        *slog.Logger
	now        func() time.Time
	tokens     *Tokens
	hasher     *Hasher
	limiter    *loginLimiter
	dispatcher *workflow.Dispatcher
	flow       *workflow.Workflow
}

// New builds the API server over its adapters.
func New(cfg Config, deps Deps) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{
		deps: deps,
		cfg:  cfg,
		log:  cfg.Logger,
		now:  cfg.Now,
		tokens: &Tokens{secret: cfg.JWTSecret, issuer: cfg.Issuer, audience: cfg.Audience,
			accessTTL: cfg.AccessTTL, refreshTTL: cfg.RefreshTTL, now: cfg.Now},
		hasher:     NewHasher(cfg.HashConcurrency),
		limiter:    newLoginLimiter(cfg.LoginFreeFailures, 15*time.Minute, cfg.Now),
		dispatcher: deps.Workflow.Dispatcher(),
		flow:       deps.Workflow,
	}
	s.echo = s.routes()
	return s
}

// Handler returns the root HTTP handler.
func (s *Server) Handler() *echo.Echo { return s.echo }

// Dispatcher returns the component that indexes and publishes committed
// events, whose Run re-sends what a crash left behind.
func (s *Server) Dispatcher() *workflow.Dispatcher { return s.dispatcher }

// today is the current calendar day, against which dates are validated.
func (s *Server) today() sankofa.Date { return sankofa.DateOf(s.now()) }
