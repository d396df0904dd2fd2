package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// embeddedDB is FerretDB with its SQLite handler, running in this process
// and listening on loopback only.
type embeddedDB struct {
	uri    string
	dir    string
	cancel context.CancelFunc
	done   chan struct{}
}

// startEmbedded starts FerretDB on a data directory. FerretDB logs at INFO,
// and in race builds its own log handler panics on internal errors; handing
// it our logger filtered to errors avoids both.
func startEmbedded(dataDir string, log *slog.Logger) (*embeddedDB, error) {
	dir, err := filepath.Abs(filepath.Join(dataDir, "ferretdb"))
	if err != nil {
		return nil, fmt.Errorf("store: data dir: %w", err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("store: create %s: %w", dir, err)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:  "sqlite",
		// synchronous(full): an acknowledged write survives power loss.
		// secure_delete(on): SQLite overwrites deleted and superseded
		// content with zeros instead of leaving it in free pages, so an
		// erased person cannot be read back from the file.
		SQLiteURL: "file:" + dir + "/?_pragma=synchronous(full)&_pragma=secure_delete(on)",
		Logger:    slog.New(minLevel{log.Handler(), slog.LevelError}).With("component", "ferretdb"),
	})
	if err != nil {
		return nil, fmt.Errorf("store: start embedded FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &embeddedDB{uri: f.MongoDBURI(), dir: dir, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		f.Run(ctx)
	}()
	return e, nil
}

func (e *embeddedDB) stop() {
	e.cancel()
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
	}
}

// indexIDPaths creates, for every collection of database db, the SQLite
// index FerretDB v1 forgets: its own _id index is on `_ferretdb_sjson->"_id"`
// while its queries filter on `_ferretdb_sjson->'$._id'`, so without this
// every lookup, update and delete by _id scans the whole table.
func (e *embeddedDB) indexIDPaths(ctx context.Context, db string) error {
	path := filepath.Join(e.dir, db+".sqlite")
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer conn.Close()
	rows, err := conn.QueryContext(ctx, `SELECT table_name FROM _ferretdb_collections`)
	if err != nil {
		return fmt.Errorf("store: list FerretDB tables: %w", err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return fmt.Errorf("store: list FerretDB tables: %w", err)
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: list FerretDB tables: %w", err)
	}
	for _, t := range tables {
		q := fmt.Sprintf(`CREATE INDEX IF NOT EXISTS %q ON %q (_ferretdb_sjson->'$._id')`, t+"_sankofa_id_path", t)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("store: index _id path of %s: %w", t, err)
		}
	}
	return nil
}

// checkpoint copies database db's write-ahead log into the database file
// and truncates the log, which holds earlier images of changed pages,
// erased ones included. A reader holding an old snapshot makes SQLite
// report the checkpoint busy; it is tried again a few times.
func (e *embeddedDB) checkpoint(ctx context.Context, db string) error {
	path := filepath.Join(e.dir, db+".sqlite")
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=secure_delete(on)")
	if err != nil {
		return fmt.Errorf("store: open %s: %w", path, err)
	}
	defer conn.Close()
	for try := 0; ; try++ {
		var busy, logFrames, done int
		err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
		if err != nil {
			return fmt.Errorf("store: checkpoint %s: %w", path, err)
		}
		if busy == 0 {
			return nil
		}
		if try == 20 {
			return fmt.Errorf("store: checkpoint %s: the database stayed busy", path)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// minLevel drops records below a level before they reach the inner handler.
type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(a []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(a), h.min}
}

func (h minLevel) WithGroup(g string) slog.Handler { return minLevel{h.Handler.WithGroup(g), h.min} }
