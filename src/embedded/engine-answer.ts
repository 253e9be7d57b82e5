/**
 * What the embedded engine answers: the body of `POST /dashboards/widgets/preview_data/`
 * (docs/cekura-api.md §3), or a DRF-style 400 that only the data can reveal (an unknown metric id).
 */
import { err } from "../shared/errors.js";
import type { Aggregation, ChartType, ConcreteDataType, TimePeriod } from "../widget/catalogue.js";
import type { GroupBy } from "../widget/types.js";

export interface LinePointOut {
  /** The call's id; null for a bucketed line (group_by bucket), whose points are aggregates. */
  id: number | null;
  /** ISO UTC, YYYY-MM-DDTHH:MM:SSZ. */
  timestamp: string;
  value: number;
  group?: string;
}
export interface BarItemOut {
  time_interval: string;
  value: number;
  sample_count: number;
  group?: string;
}
export interface PieSliceOut {
  label: string;
  value: number;
  percentage: number;
}
export interface StatOut {
  total_calls: number;
  success_rate: number | null;
  avg_duration: number | null;
  p95_latency: number | null;
}

export interface PreviewResponseBody {
  widget_id: null;
  field_name: string;
  chart_type: ChartType;
  data: LinePointOut[] | BarItemOut[] | PieSliceOut[] | StatOut;
  aggregation_function: Aggregation | null;
  time_period: TimePeriod | null;
  group_by: GroupBy | null;
  can_group_by: boolean;
  metadata: { display_name: string; data_type: ConcreteDataType; filter_value: number | null };
}

/** DRF-style error bodies: `{detail}` or field errors `{"<field>": ["message"]}`. */
export type DrfErrorBody = { detail: string } | { [field: string]: string[] };

/** A semantic error only the data can reveal, as the HTTP answer the service would give. */
export interface EngineError {
  status: number;
  body: DrfErrorBody;
}

export const badRequest = (field: string, message: string): { ok: false; error: EngineError } =>
  err({ status: 400, body: { [field]: [message] } });
