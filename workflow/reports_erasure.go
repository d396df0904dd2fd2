package workflow

import (
	"context"

	"sankofa"
)

// ReportEraser is what an erasure needs of the store of missions'
// evaluations and reports; the erasure store provides it when it keeps
// them.
type ReportEraser interface {
	Report(ctx context.Context, id string) (*sankofa.Report, error)
	UpdateReport(ctx context.Context, r *sankofa.Report) error
	DeleteReport(ctx context.Context, id string) error
	DeleteEvaluation(ctx context.Context, offerID string, side sankofa.Side) error
}

// eraseReports takes an erased worker out of their missions' reports and
// evaluations: their evaluations go, an unpublished report goes whole,
// and a published one keeps its facts (mission, profession, origin,
// figures, tags) and loses its texts and the worker's name. It runs
// before eraseOffers, which takes the worker's id off the offers it
// finds them by. Each change is published, so that every replica's
// report index follows, and the erasure's purge of the streams later
// overwrites these events too (they carry the worker's account id).
func (w *Workflow) eraseReports(ctx context.Context, e *sankofa.Erasure) error {
	re, ok := w.d.Erasure.(ReportEraser)
	if e.Role != sankofa.RoleProfessional || !ok {
		return nil
	}
	cursor := ""
	for {
		page, err := w.d.Index.Offers(ctx, sankofa.OfferFilter{ProfessionalID: e.AccountID, Status: sankofa.OfferAccepted, Cursor: cursor, Limit: sankofa.MaxPageSize})
		if err != nil {
			return err
		}
		for _, id := range page.IDs {
			if err := w.eraseReport(ctx, re, e, id); err != nil {
				return err
			}
		}
		if page.NextCursor == "" {
			return nil
		}
		cursor = page.NextCursor
	}
}

func (w *Workflow) eraseReport(ctx context.Context, re ReportEraser, e *sankofa.Erasure, offerID string) error {
	if err := re.DeleteEvaluation(ctx, offerID, sankofa.SideWorker); err != nil {
		return err
	}
	return retryStale(func() error {
		r, err := re.Report(ctx, sankofa.ReportIDFor(offerID))
		if sankofa.IsCode(err, sankofa.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if r.Status != sankofa.ReportPublished {
			if err := re.DeleteReport(ctx, r.ID); err != nil {
				return err
			}
			return w.publishReport(ctx, "deleted", r.ID, r.Version+1, e.ActorID, map[string]string{"id": r.ID})
		}
		if r.AuthorErased {
			return nil
		}
		n := *r
		n.Objectives, n.Activities, n.Outcomes.Results, n.LessonsLearned, n.Recommendations = "", "", "", "", ""
		n.WorkerName, n.ProfileID, n.ProfessionalID, n.AuthorErased, n.Anonymous = "", sankofa.ErasedID, sankofa.ErasedID, true, true
		n.Version++
		n.UpdatedAt = w.now().UTC()
		if err := re.UpdateReport(ctx, &n); err != nil {
			return err
		}
		return w.publishReport(ctx, "erased", n.ID, n.Version, e.ActorID, &n)
	})
}

func (w *Workflow) publishReport(ctx context.Context, action, id string, version int64, actor string, data any) error {
	ev, err := sankofa.NewEvent("report", action, id, version, actor, w.now(), data)
	if err != nil {
		return err
	}
	return w.d.Events.Publish(ctx, ev)
}
