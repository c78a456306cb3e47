import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric the api exposes at /metrics, on a registry of its own: one per app
 * instance, so that two apps in one process (tests, a second api for races) never share counts.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  /** Labelled with the route template (`/api/v1/tasks/:id`), never the raw URL, so ids cannot explode the series. */
  readonly httpDuration = new Histogram({
    name: 'sl_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status, from arrival to the last byte sent.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly appendDuration = new Histogram({
    name: 'sl_event_append_duration_seconds',
    help: 'Appends to the event store from this process (one per command attempt), by outcome: ok, conflict (expected version) or error.',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly schedulerRuns = new Counter({
    name: 'sl_scheduler_runs_total',
    help: 'Runs of the periodic jobs (deadlines, reporting, findings) by outcome: ok or error (the run threw).',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly logHead = new Gauge({ name: 'sl_log_head_position', help: 'Last position of the gap-safe global event log.', registers: [this.registry] });

  readonly projectionPosition = new Gauge({
    name: 'sl_projection_position',
    help: 'Log position each projection has applied.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly projectionLag = new Gauge({
    name: 'sl_projection_lag_positions',
    help: 'How far each projection trails the log head, in log positions.',
    labelNames: ['projection'] as const,
    registers: [this.registry],
  });

  readonly findings = new Gauge({
    name: 'sl_findings_total',
    help: 'Findings recorded so far (the rm_findings read model), by rule.',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });

  constructor() {
    // Process metrics: resident memory, heap, event loop lag, GC, handles.
    collectDefaultMetrics({ register: this.registry });
  }
}
