package supervise

import (
	"slices"
	"strings"

	"sankofa"
)

// history is what the status page shows of a worker beyond whether it
// runs.
type history struct {
	restarts int
	lastErr  string
}

// stopped records that worker name stopped with err and will be
// restarted.
func (s *Supervisor) stopped(name string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.history == nil {
		s.history = map[string]*history{}
	}
	h := s.history[name]
	if h == nil {
		h = &history{}
		s.history[name] = h
	}
	h.restarts++
	h.lastErr = err.Error()
}

// Workers returns every worker by name: whether it runs, how many times
// it was restarted and the error it last stopped with.
func (s *Supervisor) Workers() []sankofa.WorkerStatus {
	s.mu.Lock()
	out := make([]sankofa.WorkerStatus, 0, len(s.running))
	for name, running := range s.running {
		w := sankofa.WorkerStatus{Name: name, Running: running}
		if h := s.history[name]; h != nil {
			w.Restarts, w.LastError = h.restarts, h.lastErr
		}
		out = append(out, w)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b sankofa.WorkerStatus) int { return strings.Compare(a.Name, b.Name) })
	return out
}
