/**
 * The call log as the embedded backend holds it in memory (docs/cekura-api.md §4, normalised).
 * Both row shapes a user may load (the widget-filter shape and the call-logs list API shape)
 * are converted to this one by the loader.
 */
import type { MetricEvalType } from "../widget/catalogue.js";

export interface MetricEvaluation {
  metric: { id: number; name: string; eval_type: MetricEvalType };
  /** boolean for binary, number for numeric and ratings, string for enum; null when not evaluated. */
  value: number | boolean | string | null;
}

export interface CallLog {
  id: number;
  /** Call start, epoch milliseconds UTC. */
  timestamp: number;
  /** Seconds; null when unknown. */
  duration: number | null;
  success: boolean | null;
  is_reviewed: boolean;
  call_ended_reason: string | null;
  dropoff_point: string | null;
  topic: string | null;
  customer_number: string | null;
  agent: { id: number; agent_name: string } | null;
  /** Top-level keys only; values kept as loaded (strings in practice). */
  metadata: Record<string, string | number | boolean | null>;
  metric_evaluations: MetricEvaluation[];
  /** Response latency in milliseconds (for stat's p95_latency); null or absent without latency data. */
  latency_ms?: number | null;
}
