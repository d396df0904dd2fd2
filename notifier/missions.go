package notifier

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"sankofa"
)

// mission asks both sides of a mission that ended for their evaluation
// ("ended"), or reminds the worker that the report is due ("report_due").
// Each notification is keyed by the offer and kind, so a person gets one
// of each per mission, however often the event comes.
func (f *Fanout) mission(ctx context.Context, ev sankofa.Event, action string) error {
	var o sankofa.Offer
	if err := json.Unmarshal(ev.Data, &o); err != nil {
		return fmt.Errorf("%w: mission event %s: %v", ErrPermanent, ev.ID, err)
	}
	worker, err := f.dir.Account(ctx, o.ProfessionalID)
	if sankofa.IsCode(err, sankofa.NotFound) {
		return nil // erased: nobody to ask
	}
	if err != nil {
		return err
	}
	ministry, err := f.dir.Account(ctx, o.MinistryID)
	if err != nil {
		return err
	}
	title := o.Terms.Title
	if title == "" {
		if a, err := f.dir.Assignment(ctx, o.AssignmentID); err == nil {
			title = a.Title
		}
	}
	data := map[string]string{"offer_id": o.ID, "assignment_id": o.AssignmentID}
	switch action {
	case "ended":
		params := map[string]string{"assignment": title, "due": string(sankofa.DueDate(&o, sankofa.EvaluationDays)),
			"report_due": string(sankofa.DueDate(&o, sankofa.ReportDays))}
		return errors.Join(
			f.deliver(ctx, worker, sankofa.NoteMissionEvaluate, "mission-ended:"+o.ID, withParam(params, "role", "worker"), data),
			f.deliver(ctx, ministry, sankofa.NoteMissionEvaluate, "mission-ended:"+o.ID, withParam(params, "role", "ministry"), data))
	case "report_due":
		params := map[string]string{"assignment": title, "due": string(sankofa.DueDate(&o, sankofa.ReportDays))}
		return f.deliver(ctx, worker, sankofa.NoteMissionReportDue, "mission-report-due:"+o.ID, params, data)
	}
	return nil
}
