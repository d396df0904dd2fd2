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
	log    *slog.Logger
	cancel context.CancelFunc
	done   chan struct{}
	// checkpointing stops the background checkpointer; checkpointed is
	// closed when it has.
	stopCheckpointing context.CancelFunc
	checkpointed      chan struct{}
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
		// wal_autocheckpoint(0): a commit no longer copies the log into the
		// database file when the log passes 1,000 pages; checkpointLoop
		// does it in the background, outside the store's write lock.
		SQLiteURL: "file:" + dir + "/?_pragma=synchronous(full)&_pragma=secure_delete(on)&_pragma=wal_autocheckpoint(0)",
		Logger:    slog.New(minLevel{log.Handler(), slog.LevelError}).With("component", "ferretdb"),
	})
	if err != nil {
		return nil, fmt.Errorf("store: start embedded FerretDB: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &embeddedDB{uri: f.MongoDBURI(), dir: dir, log: log, cancel: cancel, done: make(chan struct{}),
		checkpointed: make(chan struct{})}
	go func() {
		defer close(e.done)
		f.Run(ctx)
	}()
	cpCtx, stopCheckpointing := context.WithCancel(context.Background())
	e.stopCheckpointing = stopCheckpointing
	go e.checkpointLoop(cpCtx)
	return e, nil
}

func (e *embeddedDB) stop() {
	e.cancel()
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
	}
	// After FerretDB: the checkpointer's connections are then the last
	// ones, and SQLite checkpoints the log as they close.
	e.stopCheckpointing()
	<-e.checkpointed
}

// checkpointInterval is how often the background checkpointer copies the
// write-ahead log into the database files. At 250 updates a second the log
// grows by about 5 MB a second; a fifth of a second keeps each copy small.
const checkpointInterval = 200 * time.Millisecond

// checkpointLoop copies each database's write-ahead log into its file, in
// PASSIVE mode: it neither waits for nor blocks FerretDB's writers and
// readers. SQLite would otherwise run the checkpoint inside whichever
// commit passes 1,000 pages, and so inside the store's write lock.
// Durability is unchanged: a commit is durable once its log frames are
// synced. As before, a writer rewinds the log when it starts after a
// complete checkpoint. (A RESTART checkpoint, which would force that, holds
// writers back while any reader is open: seconds, under load.)
func (e *embeddedDB) checkpointLoop(ctx context.Context) {
	defer close(e.checkpointed)
	conns := map[string]*sql.DB{}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	tick := time.NewTicker(checkpointInterval)
	defer tick.Stop()
	failing := map[string]bool{}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		e.checkpointAll(ctx, conns, failing)
	}
}

// checkpointAll runs one PASSIVE checkpoint of every database file. A
// failure is logged once until the file checkpoints again, and a panic
// ends only this pass: the next tick tries again, so that the log cannot
// grow unchecked while the process runs on.
func (e *embeddedDB) checkpointAll(ctx context.Context, conns map[string]*sql.DB, failing map[string]bool) {
	defer func() {
		if r := recover(); r != nil {
			e.log.Error("store: background checkpoint panicked", "panic", r)
		}
	}()
	paths, _ := filepath.Glob(filepath.Join(e.dir, "*.sqlite"))
	for _, path := range paths {
		c, ok := conns[path]
		if !ok {
			var err error
			if c, err = sql.Open("sqlite", sqliteFile(path)); err != nil {
				continue
			}
			c.SetMaxOpenConns(1)
			conns[path] = c
		}
		var busy, logFrames, done int
		err := c.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &logFrames, &done)
		if err != nil && ctx.Err() == nil && !failing[path] {
			e.log.Warn("store: background checkpoint failed", "file", filepath.Base(path), "err", err)
		}
		failing[path] = err != nil
	}
}

// sqliteFile is the DSN of one of FerretDB's database files for this
// package's own connections, with FerretDB's durability and erasure
// settings (see startEmbedded).
func sqliteFile(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=synchronous(full)&_pragma=secure_delete(on)"
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
	conn, err := sql.Open("sqlite", sqliteFile(path))
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
