// Package metrics holds Sankofa's Prometheus metrics in one registry. It
// is the only package that imports the Prometheus client. Every method is
// safe on a nil *Metrics, so tests and tools that do not care can pass nil.
package metrics

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the process's set of metrics.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests *prometheus.CounterVec
	httpLatency  *prometheus.HistogramVec

	consumerEvents  *prometheus.CounterVec // consumer, outcome
	consumerPending *prometheus.GaugeVec   // consumer
	workerPanics    *prometheus.CounterVec // worker
	workerRestarts  *prometheus.CounterVec // worker
	workerRunning   *prometheus.GaugeVec   // worker

	outboxUnacked  prometheus.Gauge
	indexApplyAge  prometheus.Gauge
	sseStreams     prometheus.Gauge
	webhookAttempt *prometheus.CounterVec // outcome
}

// Consumer outcomes counted by ConsumerEvent.
const (
	Delivered   = "delivered"
	Redelivered = "redelivered"
	Acked       = "acked"
	Naked       = "naked"
	DeadLetter  = "dead_lettered"
	Panicked    = "panicked"
)

// New builds the metrics and registers them, with the Go runtime's and the
// process's own.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sankofa_http_requests_total", Help: "HTTP requests by method, route and status."},
		[]string{"method", "route", "status"})
	m.httpLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "sankofa_http_request_duration_seconds", Help: "HTTP request latency by method and route.",
		Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}},
		[]string{"method", "route"})
	m.consumerEvents = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sankofa_consumer_events_total", Help: "Events seen by each JetStream consumer, by outcome: delivered, redelivered, acked, naked, dead_lettered, panicked."},
		[]string{"consumer", "outcome"})
	m.consumerPending = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "sankofa_consumer_pending", Help: "Events a consumer has not yet acknowledged (its lag)."},
		[]string{"consumer"})
	m.workerPanics = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sankofa_worker_panics_total", Help: "Panics recovered in background workers."},
		[]string{"worker"})
	m.workerRestarts = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sankofa_worker_restarts_total", Help: "Restarts of background workers by the supervisor."},
		[]string{"worker"})
	m.workerRunning = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "sankofa_worker_running", Help: "1 while a supervised background worker runs, 0 while it waits to restart."},
		[]string{"worker"})
	m.outboxUnacked = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "sankofa_outbox_unacknowledged", Help: "Committed events not yet published and acknowledged."})
	m.indexApplyAge = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "sankofa_index_apply_age_seconds", Help: "Age of the newest event applied to this replica's search index, when it was applied."})
	m.sseStreams = prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "sankofa_sse_streams_open", Help: "Open notification streams (SSE)."})
	m.webhookAttempt = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "sankofa_webhook_attempts_total", Help: "Webhook delivery attempts by outcome: delivered, failed, refused."},
		[]string{"outcome"})
	m.reg.MustRegister(m.httpRequests, m.httpLatency, m.consumerEvents, m.consumerPending,
		m.workerPanics, m.workerRestarts, m.workerRunning, m.outboxUnacked, m.indexApplyAge,
		m.sseStreams, m.webhookAttempt,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// HTTPRequest counts one finished request; route is the route pattern,
// never the raw path, so ids do not multiply the series.
func (m *Metrics) HTTPRequest(method, route string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.httpRequests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.httpLatency.WithLabelValues(method, route).Observe(d.Seconds())
}

// ConsumerEvent counts one outcome of one consumer.
func (m *Metrics) ConsumerEvent(consumer, outcome string) {
	if m == nil {
		return
	}
	m.consumerEvents.WithLabelValues(consumer, outcome).Inc()
}

// ConsumerPending sets a consumer's lag.
func (m *Metrics) ConsumerPending(consumer string, n uint64) {
	if m == nil {
		return
	}
	m.consumerPending.WithLabelValues(consumer).Set(float64(n))
}

// WorkerPanic counts a panic recovered in a background worker.
func (m *Metrics) WorkerPanic(worker string) {
	if m == nil {
		return
	}
	m.workerPanics.WithLabelValues(worker).Inc()
}

// WorkerRestart counts a restart of a background worker.
func (m *Metrics) WorkerRestart(worker string) {
	if m == nil {
		return
	}
	m.workerRestarts.WithLabelValues(worker).Inc()
}

// WorkerRunning says whether a background worker runs.
func (m *Metrics) WorkerRunning(worker string, running bool) {
	if m == nil {
		return
	}
	v := 0.0
	if running {
		v = 1
	}
	m.workerRunning.WithLabelValues(worker).Set(v)
}

// OutboxUnacked sets the number of unacknowledged outbox events.
func (m *Metrics) OutboxUnacked(n int) {
	if m == nil {
		return
	}
	m.outboxUnacked.Set(float64(n))
}

// IndexApplied records how old an event was when the index applied it.
func (m *Metrics) IndexApplied(age time.Duration) {
	if m == nil {
		return
	}
	m.indexApplyAge.Set(age.Seconds())
}

// SSEOpened counts an opened notification stream; call the returned
// function when it closes.
func (m *Metrics) SSEOpened() (closed func()) {
	if m == nil {
		return func() {}
	}
	m.sseStreams.Inc()
	return m.sseStreams.Dec
}

// WebhookAttempt counts one delivery attempt: "delivered", "failed" or
// "refused".
func (m *Metrics) WebhookAttempt(outcome string) {
	if m == nil {
		return
	}
	m.webhookAttempt.WithLabelValues(outcome).Inc()
}
