package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestEmbedded_LookupsUseIndex proves, from SQLite's own query plan, that
// a lookup by _id on every collection searches an index instead of
// scanning the table (FerretDB v1's own _id index is on another
// expression and is never used).
func TestEmbedded_LookupsUseIndex(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := Open(ctx, Config{DataDir: t.TempDir(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.embedded.dir, "sankofa.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, `SELECT name, table_name FROM _ferretdb_collections`)
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]string{}
	for rows.Next() {
		var name, table string
		if err := rows.Scan(&name, &table); err != nil {
			t.Fatal(err)
		}
		tables[name] = table
	}
	rows.Close()
	for _, c := range []string{"accounts", "emails", "profiles", "assignments", "sessions", "idempotency", "offers", "offer_keys", "inbox", "inbox_pages", "inbox_keys", "webhooks"} {
		t.Run(c, func(t *testing.T) {
			table, ok := tables[c]
			if !ok {
				t.Fatalf("collection %s was not created", c)
			}
			// The exact expression FerretDB's SQLite backend filters on.
			q := fmt.Sprintf(`EXPLAIN QUERY PLAN SELECT _ferretdb_sjson FROM %q WHERE _ferretdb_sjson->'$._id' = ?`, table)
			plan, err := db.QueryContext(ctx, q, `"x"`)
			if err != nil {
				t.Fatal(err)
			}
			defer plan.Close()
			var steps []string
			for plan.Next() {
				var id, parent, unused int
				var detail string
				if err := plan.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				steps = append(steps, detail)
			}
			all := strings.Join(steps, "; ")
			if !strings.Contains(all, "USING INDEX") || strings.HasPrefix(all, "SCAN") {
				t.Fatalf("lookup by _id on %s does not use an index: %s", c, all)
			}
		})
	}
}
