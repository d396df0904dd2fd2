package main

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"sankofa/disclosure"
)

// Config is every setting of the sankofa binary.
type Config struct {
	Addr            string
	MetricsAddr     string
	DataDir         string
	MongoURI        string
	MongoDatabase   string
	NATSURL         string
	NATSReplicas    int64
	JWTSecret       string
	JWTIssuer       string
	JWTAudience     string
	AccessTTL       time.Duration
	RefreshTTL      time.Duration
	AdminEmail      string
	AdminPassword   string
	SupportContact  string
	LogLevel        string
	LogFormat       string
	MaxBodyBytes    int64
	HashConcurrency int64
	OutboxGrace     time.Duration
	SweepInterval   time.Duration
	// Notifications.
	AlertTop              int64
	AlertDailyCap         int64
	NotificationRetention time.Duration
	WebhookAllowPrivate   string
	// AuditRetention is how long audit entries are kept.
	AuditRetention time.Duration
	// ObservatoryK is the observatory's disclosure threshold: counts of
	// persons from 1 to k-1 are suppressed. Never below disclosure.MinK.
	ObservatoryK int64
	// ObservatoryRefresh is the longest the observatory serves figures
	// that have changed since it tabulated them.
	ObservatoryRefresh time.Duration
	// TrustedProxies is a comma-separated list of CIDRs whose
	// X-Forwarded-For is believed.
	TrustedProxies string
}

// DefaultConfig returns the zero-setup configuration: everything embedded
// under ./data, listening on loopback.
func DefaultConfig() Config {
	return Config{
		Addr:                  "127.0.0.1:8080",
		DataDir:               "./data",
		MongoDatabase:         "sankofa",
		NATSReplicas:          1,
		JWTIssuer:             "sankofa",
		JWTAudience:           "sankofa-api",
		AccessTTL:             15 * time.Minute,
		RefreshTTL:            30 * 24 * time.Hour,
		LogLevel:              "info",
		LogFormat:             "text",
		MaxBodyBytes:          1 << 20,
		HashConcurrency:       4,
		OutboxGrace:           30 * time.Second,
		SweepInterval:         time.Minute,
		AlertTop:              50,
		AlertDailyCap:         3,
		NotificationRetention: 90 * 24 * time.Hour,
		WebhookAllowPrivate:   "false",
		AuditRetention:        400 * 24 * time.Hour,
		ObservatoryK:          10,
		ObservatoryRefresh:    time.Minute,
	}
}

// setting describes one environment variable.
type setting struct {
	name, help string
	secret     bool // also read from NAME_FILE
	get        func(*Config) string
	set        func(*Config, string) error
}

func strVar(name, help string, secret bool, p func(*Config) *string) setting {
	return setting{name: name, help: help, secret: secret,
		get: func(c *Config) string { return *p(c) },
		set: func(c *Config, v string) error { *p(c) = v; return nil }}
}

func durVar(name, help string, p func(*Config) *time.Duration) setting {
	return setting{name: name, help: help,
		get: func(c *Config) string { return p(c).String() },
		set: func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return errors.New("must be a positive duration such as 15m")
			}
			*p(c) = d
			return nil
		}}
}

func intVar(name, help string, maxVal int64, p func(*Config) *int64) setting {
	return setting{name: name, help: help,
		get: func(c *Config) string { return strconv.FormatInt(*p(c), 10) },
		set: func(c *Config, v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 || n > maxVal {
				return fmt.Errorf("must be a whole number from 1 to %d", maxVal)
			}
			*p(c) = n
			return nil
		}}
}

// settings is the table of every SANKOFA_* variable.
var settings = []setting{
	strVar("SANKOFA_ADDR", "HTTP listen address", false, func(c *Config) *string { return &c.Addr }),
	strVar("SANKOFA_METRICS_ADDR", "listen address serving GET /metrics and the Go profiles at /debug/pprof/ without a token, e.g. 127.0.0.1:9090 (keep it private); empty serves them only at /metrics on the API, to admins", false, func(c *Config) *string { return &c.MetricsAddr }),
	strVar("SANKOFA_DATA_DIR", "directory for the embedded database, NATS and search index", false, func(c *Config) *string { return &c.DataDir }),
	strVar("SANKOFA_MONGODB_URI", "MongoDB replica set URI; empty runs FerretDB embedded", true, func(c *Config) *string { return &c.MongoURI }),
	strVar("SANKOFA_MONGODB_DATABASE", "database name", false, func(c *Config) *string { return &c.MongoDatabase }),
	strVar("SANKOFA_NATS_URL", "NATS cluster URL; empty runs nats-server embedded", false, func(c *Config) *string { return &c.NATSURL }),
	intVar("SANKOFA_NATS_REPLICAS", "JetStream stream replicas on a cluster", 5, func(c *Config) *int64 { return &c.NATSReplicas }),
	strVar("SANKOFA_JWT_SECRET", "HMAC secret for access tokens (32+ bytes); generated and kept in the data dir when embedded", true, func(c *Config) *string { return &c.JWTSecret }),
	strVar("SANKOFA_JWT_ISSUER", "iss claim of access tokens", false, func(c *Config) *string { return &c.JWTIssuer }),
	strVar("SANKOFA_JWT_AUDIENCE", "aud claim of access tokens", false, func(c *Config) *string { return &c.JWTAudience }),
	durVar("SANKOFA_ACCESS_TTL", "access token lifetime", func(c *Config) *time.Duration { return &c.AccessTTL }),
	durVar("SANKOFA_REFRESH_TTL", "refresh token lifetime", func(c *Config) *time.Duration { return &c.RefreshTTL }),
	strVar("SANKOFA_ADMIN_EMAIL", "e-mail of the first admin, created at start-up", false, func(c *Config) *string { return &c.AdminEmail }),
	strVar("SANKOFA_ADMIN_PASSWORD", "password of the first admin", true, func(c *Config) *string { return &c.AdminPassword }),
	strVar("SANKOFA_SUPPORT_CONTACT", "whom people are told to contact, e.g. about a forgotten password (an e-mail address, phone number or office), shown by GET /v1/about and the console; empty: SANKOFA_ADMIN_EMAIL, if set", false, func(c *Config) *string { return &c.SupportContact }),
	strVar("SANKOFA_LOG_LEVEL", "debug, info, warn or error", false, func(c *Config) *string { return &c.LogLevel }),
	strVar("SANKOFA_LOG_FORMAT", "text or json", false, func(c *Config) *string { return &c.LogFormat }),
	intVar("SANKOFA_MAX_BODY_BYTES", "largest request body accepted", 64<<20, func(c *Config) *int64 { return &c.MaxBodyBytes }),
	intVar("SANKOFA_HASH_CONCURRENCY", "password hashes allowed at once (19 MiB each)", 64, func(c *Config) *int64 { return &c.HashConcurrency }),
	durVar("SANKOFA_OUTBOX_GRACE", "age after which an unpublished event is re-sent", func(c *Config) *time.Duration { return &c.OutboxGrace }),
	durVar("SANKOFA_SWEEP_INTERVAL", "how often offers past their expiry are expired", func(c *Config) *time.Duration { return &c.SweepInterval }),
	intVar("SANKOFA_ALERT_TOP", "best-matching workers alerted of a new assignment", 1000, func(c *Config) *int64 { return &c.AlertTop }),
	intVar("SANKOFA_ALERT_DAILY_CAP", "alerts a person gets a day before the rest go into a digest", 100, func(c *Config) *int64 { return &c.AlertDailyCap }),
	durVar("SANKOFA_NOTIFICATION_RETENTION", "how long notifications are kept", func(c *Config) *time.Duration { return &c.NotificationRetention }),
	durVar("SANKOFA_AUDIT_RETENTION", "how long audit entries (sign-ins, approvals, contact reveals, admin reads) are kept", func(c *Config) *time.Duration { return &c.AuditRetention }),
	intVar("SANKOFA_OBSERVATORY_K", "the observatory's threshold k: published counts of persons from 1 to k-1 are suppressed (at least 5)", 1000, func(c *Config) *int64 { return &c.ObservatoryK }),
	durVar("SANKOFA_OBSERVATORY_REFRESH", "the longest the public observatory serves figures that have changed since it last tabulated them", func(c *Config) *time.Duration { return &c.ObservatoryRefresh }),
	strVar("SANKOFA_TRUSTED_PROXIES", "comma-separated CIDRs of the reverse proxies in front (e.g. 10.0.0.0/8,2001:db8::/32) whose X-Forwarded-For names the client; empty uses the connecting address, which behind a proxy puts every client in one sign-in limit", false, func(c *Config) *string { return &c.TrustedProxies }),
	strVar("SANKOFA_WEBHOOK_ALLOW_PRIVATE", "true lets webhooks reach loopback and private addresses (testing only)", false, func(c *Config) *string { return &c.WebhookAllowPrivate }),
}

// LoadConfig fills a Config from the environment over the defaults.
// Secrets may come from a file named by NAME_FILE.
func LoadConfig(getenv func(string) string) (Config, error) {
	cfg := DefaultConfig()
	var errs []error
	for _, s := range settings {
		v := getenv(s.name)
		if f := getenv(s.name + "_FILE"); s.secret && f != "" && v == "" {
			b, err := os.ReadFile(f)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s_FILE: %w", s.name, err))
				continue
			}
			v = strings.TrimSpace(string(b))
		}
		if v == "" {
			continue
		}
		if err := s.set(&cfg, v); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// Validate checks the settings that depend on each other.
func (c *Config) Validate() error {
	var errs []error
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		errs = append(errs, errors.New("SANKOFA_JWT_SECRET must be at least 32 bytes"))
	}
	if c.JWTSecret == "" && c.MongoURI != "" {
		errs = append(errs, errors.New("SANKOFA_JWT_SECRET is required with SANKOFA_MONGODB_URI: every replica must share it"))
	}
	if _, err := strconv.ParseBool(c.WebhookAllowPrivate); err != nil {
		errs = append(errs, errors.New("SANKOFA_WEBHOOK_ALLOW_PRIVATE must be true or false"))
	}
	if _, err := c.TrustedProxyNets(); err != nil {
		errs = append(errs, err)
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		errs = append(errs, errors.New("set both SANKOFA_ADMIN_EMAIL and SANKOFA_ADMIN_PASSWORD, or neither"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, errors.New("SANKOFA_LOG_LEVEL must be debug, info, warn or error"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, errors.New("SANKOFA_LOG_FORMAT must be text or json"))
	}
	if err := c.observatoryRules().Validate(); err != nil {
		errs = append(errs, fmt.Errorf("SANKOFA_OBSERVATORY_K must be at least %d: smaller thresholds disclose too much", disclosure.MinK))
	}
	return errors.Join(errs...)
}

// observatoryRules are the observatory's disclosure rules.
func (c *Config) observatoryRules() disclosure.Rules {
	r := disclosure.DefaultRules()
	r.K = int(c.ObservatoryK)
	return r
}

// TrustedProxyNets parses SANKOFA_TRUSTED_PROXIES; empty gives none.
func (c *Config) TrustedProxyNets() ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, f := range strings.Split(c.TrustedProxies, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		_, n, err := net.ParseCIDR(f)
		if err != nil {
			return nil, fmt.Errorf("SANKOFA_TRUSTED_PROXIES: %q is not a CIDR such as 10.0.0.0/8 or 192.0.2.7/32", f)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// supportContact is SANKOFA_SUPPORT_CONTACT or else the first admin's
// e-mail, if any.
func (c *Config) supportContact() string {
	if c.SupportContact != "" {
		return strings.TrimSpace(c.SupportContact)
	}
	return c.AdminEmail
}

// printHelp lists every setting with its default.
func printHelp(w io.Writer) {
	fmt.Fprint(w, `sankofa: diaspora health workers and ministries of health, matched.

Usage:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  sankofa %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  sankofa --help    show this help; 'sankofa COMMAND --help' shows a command's

With no SANKOFA_MONGODB_URI and no SANKOFA_NATS_URL everything runs in this
process under SANKOFA_DATA_DIR: FerretDB (SQLite), nats-server with
JetStream, and the Bleve index.

Environment (secrets marked * also accept NAME_FILE):
`)
	def := DefaultConfig()
	for _, s := range settings {
		star := " "
		if s.secret {
			star = "*"
		}
		d := s.get(&def)
		if d == "" {
			d = "(empty)"
		}
		fmt.Fprintf(w, "  %s%-26s %s\n      default: %s\n", star, s.name, s.help, d)
	}
}

// jwtSecret returns the configured secret or, embedded, one generated on
// first start and kept with mode 0600 in the data dir.
func jwtSecret(cfg Config, log *slog.Logger) ([]byte, error) {
	if cfg.JWTSecret != "" {
		return []byte(cfg.JWTSecret), nil
	}
	path := filepath.Join(cfg.DataDir, "jwt-secret")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := []byte(hex.EncodeToString(raw))
	if err := os.WriteFile(path, secret, 0o600); err != nil {
		return nil, fmt.Errorf("keep JWT secret: %w", err)
	}
	log.Warn("SANKOFA_JWT_SECRET is not set; generated one and kept it in the data dir", "path", path)
	return secret, nil
}

// newLogger builds the process logger from the settings.
func newLogger(cfg Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
