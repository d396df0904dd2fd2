package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"sankofa"
	"sankofa/fhir"
)

// FHIR Bulk Data export (the HL7 async pattern): a kick-off answers 202
// with Content-Location, the status URL answers 202 with X-Progress until
// the manifest is ready, then 200 with it; the NDJSON files are read with
// the same kind of token, by the job's owner only; DELETE cancels a job and
// deletes its files. Jobs are records in the store and files under the
// data dir, so a restart resumes them. Finished jobs and their files are
// deleted a day after they finish (FHIRExportConfig.TTL); an erasure
// deletes at once every export that holds the erased person (EraseProfile).
// Exports carry no contact details: the reveal of contact details is per
// accepted offer and audited, which a file of thousands cannot honour.

// FHIRExportStore keeps export jobs.
type FHIRExportStore interface {
	SaveExportJob(ctx context.Context, j *fhir.ExportJob) error
	ExportJob(ctx context.Context, id string) (*fhir.ExportJob, error)
	ExportJobs(ctx context.Context) ([]*fhir.ExportJob, error)
	DeleteExportJob(ctx context.Context, id string) error
}

// ExportIndex lists the profiles an export holds, a page at a time, in a
// stable order: each page gives the cursor of the next.
type ExportIndex interface {
	ExportProfileIDs(ctx context.Context, country, after string, limit int) (ids []string, next string, total uint64, err error)
}

// ProfileReader reads a profile by id.
type ProfileReader interface {
	Profile(ctx context.Context, id string) (*sankofa.Profile, error)
}

// FHIRExportConfig wires the export worker.
type FHIRExportConfig struct {
	Jobs     FHIRExportStore
	Profiles ProfileReader
	Index    ExportIndex
	// Dir holds one directory of files per job.
	Dir string
	// TTL is how long a finished job and its files are kept (24 h).
	TTL time.Duration
	// Page is how many profiles a batch reads and writes (500).
	Page int
	// Replica names this process: with several replicas, each runs and
	// keeps the files of the jobs it was asked for (see README).
	Replica string
	Now     func() time.Time
	Logger  *slog.Logger
}

// FHIRExports runs Bulk Data export jobs in the background, one batch of
// profiles at a time, so that memory stays flat whatever the number of
// profiles.
type FHIRExports struct {
	cfg FHIRExportConfig
	// mu is held by each batch, by a cancel and by an erasure, so that an
	// erasure never misses lines a batch is writing.
	mu   sync.Mutex
	wake chan struct{}
}

// NewFHIRExports returns the export worker; Run starts it.
func NewFHIRExports(cfg FHIRExportConfig) *FHIRExports {
	if cfg.TTL <= 0 {
		cfg.TTL = 24 * time.Hour
	}
	if cfg.Page <= 0 {
		cfg.Page = 500
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &FHIRExports{cfg: cfg, wake: make(chan struct{}, 1)}
}

func (x *FHIRExports) poke() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// exportSweep is how often the worker looks for jobs to resume or delete
// when nothing wakes it.
const exportSweep = time.Minute

// Run resumes every unfinished job, runs new ones as they come, and
// deletes jobs (and files) TTL after they finish, until ctx ends. It
// returns an error only when a job cannot be read or written; the
// supervisor restarts it.
func (x *FHIRExports) Run(ctx context.Context) error {
	t := time.NewTicker(exportSweep)
	defer t.Stop()
	for {
		if err := x.pass(ctx); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-x.wake:
		case <-t.C:
		}
	}
}

// pass runs every running job to its end and sweeps old ones.
func (x *FHIRExports) pass(ctx context.Context) error {
	jobs, err := x.cfg.Jobs.ExportJobs(ctx)
	if err != nil {
		return err
	}
	slices.SortFunc(jobs, func(a, b *fhir.ExportJob) int { return a.TransactionTime.Compare(b.TransactionTime) })
	for _, j := range jobs {
		switch {
		case j.Replica != x.cfg.Replica:
			// Another replica's: its files are on its disk.
		case j.Status == fhir.JobRunning:
			if err := x.runJob(ctx, j.ID); err != nil {
				return fmt.Errorf("export %s: %w", j.ID, err)
			}
		case j.FinishedAt != nil && x.cfg.Now().Sub(*j.FinishedAt) > x.cfg.TTL:
			if err := x.remove(ctx, j.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

// RunOnce runs every running job to its end, once, for tests.
func (x *FHIRExports) RunOnce(ctx context.Context) error { return x.pass(ctx) }

// runJob runs batches until the job ends, is cancelled or ctx ends.
func (x *FHIRExports) runJob(ctx context.Context, id string) error {
	for ctx.Err() == nil {
		more, err := x.batch(ctx, id)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func (x *FHIRExports) jobDir(id string) string { return filepath.Join(x.cfg.Dir, id) }

// batch writes the next page of profiles, durably, then records where it
// got to. It reports whether more is to come.
func (x *FHIRExports) batch(ctx context.Context, id string) (bool, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	j, err := x.cfg.Jobs.ExportJob(ctx, id)
	if sankofa.IsCode(err, sankofa.NotFound) {
		return false, nil // cancelled
	}
	if err != nil || j.Status != fhir.JobRunning {
		return false, err
	}
	ids, next, total, err := x.cfg.Index.ExportProfileIDs(ctx, j.Country, j.Cursor, x.cfg.Page)
	if err != nil {
		return false, err
	}
	if j.Cursor == "" {
		j.Total = int(total)
	}
	if len(ids) == 0 {
		now := x.cfg.Now().UTC()
		j.Status, j.FinishedAt = fhir.JobDone, &now
		j.Total = j.Done
		return false, x.cfg.Jobs.SaveExportJob(ctx, j)
	}
	bufs := map[string]*bytes.Buffer{}
	for _, t := range j.Types {
		bufs[t] = &bytes.Buffer{}
	}
	today := sankofa.DateOf(x.cfg.Now())
	profiles, err := x.read(ctx, ids)
	if err != nil {
		return false, err
	}
	for _, p := range profiles {
		if p == nil {
			continue // deleted since it was indexed
		}
		// The index may lag a change of consent; the store does not.
		if (j.Country != "" && !p.SharedWith(j.Country)) || (j.Since != nil && !p.UpdatedAt.After(*j.Since)) {
			continue
		}
		view := p.Redacted()
		view.ReviewLicences(today)
		if err := writeResources(bufs, &view, today); err != nil {
			// A profile that cannot be mapped fails the job for good;
			// trying again would fail again.
			x.cfg.Logger.Error("FHIR export failed", "job", j.ID, "profile", p.ID, "err", err)
			now := x.cfg.Now().UTC()
			j.Status, j.Error, j.FinishedAt = fhir.JobFailed, "a profile could not be written as FHIR", &now
			return false, x.cfg.Jobs.SaveExportJob(ctx, j)
		}
	}
	dir := x.jobDir(j.ID)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, fmt.Errorf("create %s: %w", dir, err)
	}
	for _, t := range j.Types {
		n, err := appendDurably(filepath.Join(dir, fhir.FileName(t)), j.Bytes[t], bufs[t].Bytes())
		if err != nil {
			return false, err
		}
		j.Bytes[t] = n
		j.Counts[t] += bytes.Count(bufs[t].Bytes(), []byte{'\n'})
	}
	j.Cursor = next
	j.Done += len(ids)
	j.Total = max(j.Total, j.Done)
	return true, x.cfg.Jobs.SaveExportJob(ctx, j)
}

// exportReaders is how many profiles a batch reads at once: reads by _id
// are concurrent on the store, and a batch is mostly waiting for them.
const exportReaders = 4

// read reads the profiles of ids, in order, nil for one deleted.
func (x *FHIRExports) read(ctx context.Context, ids []string) ([]*sankofa.Profile, error) {
	out := make([]*sankofa.Profile, len(ids))
	errs := make([]error, exportReaders)
	var wg sync.WaitGroup
	for w := range exportReaders {
		wg.Go(func() {
			for i := w; i < len(ids); i += exportReaders {
				p, err := x.cfg.Profiles.Profile(ctx, ids[i])
				if sankofa.IsCode(err, sankofa.NotFound) {
					continue
				}
				if err != nil {
					errs[w] = err
					return
				}
				out[i] = p
			}
		})
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// writeResources appends a profile's resources, one JSON line each, to
// the buffers of the job's types.
func writeResources(bufs map[string]*bytes.Buffer, p *sankofa.Profile, today sankofa.Date) error {
	opts := fhir.Options{Today: today}
	line := func(t string, v any) error {
		b, ok := bufs[t]
		if !ok {
			return nil
		}
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(raw)
		b.WriteByte('\n')
		return nil
	}
	if _, ok := bufs["Practitioner"]; ok {
		r, err := fhir.PractitionerOf(p, opts)
		if err != nil {
			return err
		}
		if err := line("Practitioner", r); err != nil {
			return err
		}
	}
	if _, ok := bufs["PractitionerRole"]; ok {
		roles, err := fhir.RolesOf(p, opts)
		if err != nil {
			return err
		}
		for _, r := range roles {
			if err := line("PractitionerRole", r); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendDurably cuts path to size (what the last checkpoint recorded: a
// crash may have left more), appends data and syncs, and returns the new
// size.
func appendDurably(path string, size int64, data []byte) (int64, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		return 0, fmt.Errorf("truncate %s: %w", path, err)
	}
	if _, err := f.WriteAt(data, size); err != nil {
		return 0, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return 0, fmt.Errorf("sync %s: %w", path, err)
	}
	return size + int64(len(data)), nil
}

// remove deletes a job's files, then its record.
func (x *FHIRExports) remove(ctx context.Context, id string) error {
	if err := os.RemoveAll(x.jobDir(id)); err != nil {
		return fmt.Errorf("delete export %s: %w", id, err)
	}
	return x.cfg.Jobs.DeleteExportJob(ctx, id)
}

// Cancel deletes a job and its files, whatever its state.
func (x *FHIRExports) Cancel(ctx context.Context, id string) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.remove(ctx, id)
}

// EraseProfile takes an erased person out of every export: a finished job
// whose files hold them is deleted (its owner may export again), and a
// running one starts again from the beginning. It is idempotent, so the
// erasure can run it again after a crash.
func (x *FHIRExports) EraseProfile(ctx context.Context, profileID string) error {
	fid, err := fhir.ID(profileID)
	if err != nil {
		return nil // no FHIR id, so in no export
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	jobs, err := x.cfg.Jobs.ExportJobs(ctx)
	if err != nil {
		return err
	}
	for _, j := range jobs {
		if j.Replica != x.cfg.Replica {
			continue // see the README: exports assume one replica serves them
		}
		found := false
		for _, t := range j.Types {
			in, err := fileContains(filepath.Join(x.jobDir(j.ID), fhir.FileName(t)), []byte(fid))
			if err != nil {
				return err
			}
			found = found || in
		}
		if !found {
			continue
		}
		if j.Status != fhir.JobRunning {
			if err := x.remove(ctx, j.ID); err != nil {
				return err
			}
			continue
		}
		if err := os.RemoveAll(x.jobDir(j.ID)); err != nil {
			return err
		}
		j.Cursor, j.Done = "", 0
		j.Counts, j.Bytes = map[string]int{}, map[string]int64{}
		if err := x.cfg.Jobs.SaveExportJob(ctx, j); err != nil {
			return err
		}
	}
	return nil
}

// fileContains reports whether the file at path holds needle; a missing
// file holds nothing.
func fileContains(path string, needle []byte) (bool, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	buf := make([]byte, 0, 1<<20+len(needle))
	chunk := make([]byte, 1<<20)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if bytes.Contains(buf, needle) {
			return true, nil
		}
		if len(buf) > len(needle) {
			buf = append(buf[:0], buf[len(buf)-len(needle):]...)
		}
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
}

// start records a new job and wakes the worker.
func (x *FHIRExports) start(ctx context.Context, j *fhir.ExportJob) error {
	if err := x.cfg.Jobs.SaveExportJob(ctx, j); err != nil {
		return err
	}
	x.poke()
	return nil
}

// mountFHIRExport adds the Bulk Data routes.
func (s *Server) mountFHIRExport(in fhirRoutes) {
	both := allow(sankofa.RoleMinistry, sankofa.RoleAdmin)
	in.GET("/Group/:country/$export", s.handleFHIRExport(true), allow(sankofa.RoleMinistry))
	in.GET("/$export", s.handleFHIRExport(false), allow(sankofa.RoleAdmin))
	in.GET("/bulk/:job", s.handleFHIRExportStatus(), both)
	in.DELETE("/bulk/:job", s.handleFHIRExportCancel(), both)
	in.GET("/bulk/:job/:file", s.handleFHIRExportFile(), both)
}

var ndjsonFormats = []string{"application/fhir+ndjson", "application/ndjson", "ndjson"}

// handleFHIRExport kicks off an export: of the Group of a country (its
// ministries: the profiles shared with it) or of the whole system (admins).
func (s *Server) handleFHIRExport(group bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		x := s.deps.FHIRExports
		if x == nil {
			return echo.NewHTTPError(http.StatusServiceUnavailable)
		}
		ctx := c.Request().Context()
		me := principal(c)
		country := ""
		if group {
			country = c.Param("country")
			if !sankofa.ValidCountry(country) {
				return sankofa.Errorf(sankofa.NotFound, "the Group of an export is a country: an ISO 3166-1 alpha-2 code such as GH")
			}
			if country != me.Country {
				return sankofa.Errorf(sankofa.Forbidden, "a ministry exports the Group of its own country only (%s)", me.Country)
			}
		}
		if !strings.Contains(c.Request().Header.Get("Prefer"), "respond-async") {
			return sankofa.Errorf(sankofa.Invalid, "a Bulk Data export is asynchronous: send 'Prefer: respond-async'")
		}
		j := &fhir.ExportJob{ID: sankofa.NewID("exp"), OwnerID: me.ID, Replica: x.cfg.Replica, Country: country, Types: fhir.ExportTypes,
			Request: s.scheme(c) + "://" + c.Request().Host + c.Request().URL.RequestURI(), Status: fhir.JobRunning,
			TransactionTime: s.now().UTC(), Counts: map[string]int{}, Bytes: map[string]int64{}}
		for k, v := range c.QueryParams() {
			switch k {
			case "_outputFormat":
				if !slices.Contains(ndjsonFormats, v[0]) {
					return invalidField(k, "Sankofa writes application/fhir+ndjson only")
				}
			case "_type":
				var types []string
				for _, t := range strings.Split(strings.Join(v, ","), ",") {
					if !slices.Contains(fhir.ExportTypes, t) {
						return invalidField(k, "must list Practitioner and/or PractitionerRole")
					}
					if !slices.Contains(types, t) {
						types = append(types, t)
					}
				}
				j.Types = types
			case "_since":
				t, err := time.Parse(time.RFC3339Nano, v[0])
				if err != nil {
					return invalidField(k, "must be a FHIR instant such as 2026-01-31T00:00:00Z")
				}
				j.Since = &t
			default:
				return invalidField(k, "is not an export parameter Sankofa supports (_type, _since, _outputFormat)")
			}
		}
		jobs, err := s.deps.FHIRExportJobs.ExportJobs(ctx)
		if err != nil {
			return err
		}
		for _, o := range jobs {
			if o.OwnerID == me.ID && o.Status == fhir.JobRunning {
				c.Response().Header().Set("Retry-After", "30")
				return sankofa.Errorf(sankofa.RateLimited, "an export of yours is running (%s/bulk/%s); wait for it or cancel it", fhirPrefix, o.ID)
			}
		}
		if err := x.start(ctx, j); err != nil {
			return err
		}
		c.Response().Header().Set("Content-Location", s.fhirBase(c)+"/bulk/"+j.ID)
		return writeFHIR(c, http.StatusAccepted, fhir.OperationOutcome(http.StatusAccepted, "", "the export has started; poll the Content-Location"))
	}
}

// ownJob returns a job of the caller's; anyone else's is not_found.
func (s *Server) ownJob(c echo.Context) (*fhir.ExportJob, error) {
	if s.deps.FHIRExports == nil {
		return nil, echo.NewHTTPError(http.StatusServiceUnavailable)
	}
	j, err := s.deps.FHIRExportJobs.ExportJob(c.Request().Context(), c.Param("job"))
	if err != nil {
		return nil, err
	}
	if j.OwnerID != principal(c).ID {
		return nil, sankofa.Errorf(sankofa.NotFound, "export job not found")
	}
	return j, nil
}

// handleFHIRExportStatus answers 202 with X-Progress while a job runs,
// and 200 with the manifest once it is done.
func (s *Server) handleFHIRExportStatus() echo.HandlerFunc {
	return func(c echo.Context) error {
		j, err := s.ownJob(c)
		if err != nil {
			return err
		}
		h := c.Response().Header()
		switch j.Status {
		case fhir.JobRunning:
			h.Set("X-Progress", fmt.Sprintf("%d of %d profiles", j.Done, max(j.Total, j.Done)))
			h.Set("Retry-After", "2")
			return c.NoContent(http.StatusAccepted)
		case fhir.JobFailed:
			// The Bulk Data status of a failed job: a 5xx OperationOutcome.
			return writeFHIR(c, http.StatusInternalServerError, fhir.OperationOutcome(http.StatusInternalServerError, "export_failed",
				"the export failed: "+j.Error+"; delete it and start another"))
		}
		if j.FinishedAt != nil {
			h.Set("Expires", j.FinishedAt.Add(s.deps.FHIRExports.cfg.TTL).UTC().Format(http.TimeFormat))
		}
		base := s.fhirBase(c) + "/bulk/" + j.ID + "/"
		return c.JSON(http.StatusOK, fhir.Manifest(j, func(t string) string { return base + fhir.FileName(t) }))
	}
}

// handleFHIRExportCancel cancels a job, or deletes a finished one, and its
// files.
func (s *Server) handleFHIRExportCancel() echo.HandlerFunc {
	return func(c echo.Context) error {
		j, err := s.ownJob(c)
		if err != nil {
			return err
		}
		if err := s.deps.FHIRExports.Cancel(c.Request().Context(), j.ID); err != nil {
			return err
		}
		return writeFHIR(c, http.StatusAccepted, fhir.OperationOutcome(http.StatusAccepted, "", "the export and its files are deleted"))
	}
}

// handleFHIRExportFile sends one NDJSON file of a finished job.
func (s *Server) handleFHIRExportFile() echo.HandlerFunc {
	return func(c echo.Context) error {
		j, err := s.ownJob(c)
		if err != nil {
			return err
		}
		name := c.Param("file")
		t, ok := strings.CutSuffix(name, ".ndjson")
		if !ok || !slices.Contains(j.Types, t) || j.Status != fhir.JobDone || j.Counts[t] == 0 {
			return sankofa.Errorf(sankofa.NotFound, "the export has no such file")
		}
		f, err := os.Open(filepath.Join(s.deps.FHIRExports.jobDir(j.ID), name))
		if err != nil {
			return err
		}
		defer f.Close()
		c.Response().Header().Set(echo.HeaderContentType, "application/fhir+ndjson")
		c.Response().Header().Set("Content-Length", strconv.FormatInt(j.Bytes[t], 10))
		c.Response().WriteHeader(http.StatusOK)
		_, err = io.CopyN(c.Response(), f, j.Bytes[t])
		return err
	}
}
