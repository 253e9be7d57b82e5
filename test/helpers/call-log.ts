import type { CallLog } from "../../src/embedded/calls.js";

/** A call log row for engine tests: every field empty unless given. */
export function callLog(id: number, at: string | number, fields: Partial<CallLog> = {}): CallLog {
  return {
    id,
    timestamp: typeof at === "number" ? at : Date.parse(at),
    duration: null,
    success: null,
    is_reviewed: false,
    call_ended_reason: null,
    dropoff_point: null,
    topic: null,
    customer_number: null,
    agent: null,
    metadata: {},
    metric_evaluations: [],
    ...fields,
  };
}
