/**
 * The demo dataset's cast and story (src/embedded/dataset.ts generates the calls): its agents and
 * how each behaves, its metrics, call endings and regions, the bad day, and the defaults. Tests
 * and the demo questions read these to know what the data must show.
 */
import type { MetricEvalType } from "../widget/catalogue.js";
import { DAY_MS, startOfUtcDay } from "../widget/time.js";

export interface DemoMetric {
  readonly id: number;
  readonly name: string;
  readonly eval_type: MetricEvalType;
  /** What its values look like, for docs and prompts. */
  readonly values: string;
}

export const DEMO_METRICS: readonly DemoMetric[] = [
  {
    id: 101,
    name: "Customer Satisfaction",
    eval_type: "continuous_qualitative",
    values: "integer rating 1-5",
  },
  { id: 102, name: "Goal Achieved", eval_type: "binary", values: "true / false" },
  { id: 103, name: "Response Accuracy", eval_type: "numeric", values: "0..1, two decimals" },
  {
    id: 104,
    name: "Call Outcome",
    eval_type: "enum",
    values: "resolved | escalated | follow-up | abandoned",
  },
];

export const DEMO_METRIC_IDS = {
  customerSatisfaction: 101,
  goalAchieved: 102,
  responseAccuracy: 103,
  callOutcome: 104,
} as const;

export const DEMO_CALL_OUTCOMES = ["resolved", "escalated", "follow-up", "abandoned"] as const;

export const DEMO_REGIONS = ["us-east", "us-west", "eu", "apac"] as const;
export type DemoRegion = (typeof DEMO_REGIONS)[number];

export const DEMO_ENDED_REASONS = [
  "customer-ended-call",
  "assistant-ended-call",
  "transferred",
  "silence-timed-out",
  "voicemail",
  "error",
  "exceeded-max-duration",
] as const;
export type EndedReason = (typeof DEMO_ENDED_REASONS)[number];

/** Calls of this length end with "exceeded-max-duration". */
export const DEMO_MAX_DURATION_S = 900;

export type FailureReason = Exclude<EndedReason, "voicemail">;

export interface DemoAgent {
  readonly id: number;
  readonly agent_name: string;
  /** Share of all calls. */
  readonly share: number;
  /** Probability of success on an ordinary day for a call that reached a conversation. */
  readonly successRate: number;
  readonly medianDurationS: number;
  readonly medianLatencyMs: number;
  readonly outboundShare: number;
  readonly accuracyMean: number;
  readonly topics: readonly string[];
  /** Conversation stages where a failed call dropped, in order. */
  readonly dropoffPoints: readonly string[];
  /** How failed conversations end (weights). */
  readonly failureReasons: Readonly<Partial<Record<FailureReason, number>>>;
  /** metadata.campaign of outbound calls. */
  readonly campaign: string;
}

const ORDINARY_FAILURES: Readonly<Partial<Record<FailureReason, number>>> = {
  "customer-ended-call": 0.38,
  transferred: 0.2,
  "silence-timed-out": 0.14,
  "assistant-ended-call": 0.14,
  error: 0.08,
  "exceeded-max-duration": 0.06,
};

export const DEMO_AGENTS: readonly DemoAgent[] = [
  {
    id: 1,
    agent_name: "Appointment Bot",
    share: 0.3,
    successRate: 0.88,
    medianDurationS: 140,
    medianLatencyMs: 820,
    outboundShare: 0.15,
    accuracyMean: 0.91,
    topics: ["book-appointment", "reschedule", "cancel-appointment", "opening-hours", "directions"],
    dropoffPoints: ["greeting", "identity-verification", "slot-selection", "confirmation"],
    failureReasons: ORDINARY_FAILURES,
    campaign: "appointment-reminders",
  },
  {
    id: 2,
    agent_name: "Billing Assistant",
    share: 0.25,
    successRate: 0.82,
    medianDurationS: 210,
    medianLatencyMs: 930,
    outboundShare: 0.1,
    accuracyMean: 0.87,
    topics: ["invoice-question", "payment-failed", "refund-request", "update-card", "plan-change"],
    dropoffPoints: ["greeting", "identity-verification", "account-lookup", "payment", "confirmation"],
    failureReasons: ORDINARY_FAILURES,
    campaign: "payment-reminders",
  },
  {
    id: 3,
    agent_name: "Order Status Agent",
    share: 0.2,
    successRate: 0.9,
    medianDurationS: 95,
    medianLatencyMs: 700,
    outboundShare: 0.05,
    accuracyMean: 0.93,
    topics: ["where-is-my-order", "delivery-change", "return-request", "damaged-item"],
    dropoffPoints: ["greeting", "order-lookup", "status-update", "confirmation"],
    failureReasons: ORDINARY_FAILURES,
    campaign: "delivery-updates",
  },
  {
    id: 4,
    agent_name: "Tech Support Agent",
    share: 0.15,
    successRate: 0.6,
    medianDurationS: 380,
    medianLatencyMs: 1350,
    outboundShare: 0.05,
    accuracyMean: 0.72,
    topics: ["internet-outage", "router-setup", "slow-connection", "password-reset", "device-pairing"],
    dropoffPoints: ["greeting", "identity-verification", "diagnosis", "troubleshooting", "escalation"],
    failureReasons: {
      "customer-ended-call": 0.4,
      transferred: 0.32,
      "silence-timed-out": 0.1,
      "assistant-ended-call": 0.04,
      error: 0.05,
      "exceeded-max-duration": 0.09,
    },
    campaign: "outage-callbacks",
  },
  {
    id: 5,
    agent_name: "Feedback Survey Bot",
    share: 0.1,
    successRate: 0.8,
    medianDurationS: 120,
    medianLatencyMs: 760,
    outboundShare: 0.9,
    accuracyMean: 0.89,
    topics: ["post-purchase-survey", "nps-survey", "service-feedback"],
    dropoffPoints: ["greeting", "consent", "questions", "closing"],
    failureReasons: ORDINARY_FAILURES,
    campaign: "satisfaction-survey",
  },
];

export const DEMO_WORST_AGENT_ID = 4;
export const DEMO_BAD_DAY_DAYS_AGO = 9;

/**
 * The bad day of a dataset generated at `now`: [start, end) in epoch ms, the whole UTC day
 * DEMO_BAD_DAY_DAYS_AGO days before now's (outside the window when `days` is under 10).
 */
export function demoBadDay(now: number): { start: number; end: number } {
  const start = startOfUtcDay(now) - DEMO_BAD_DAY_DAYS_AGO * DAY_MS;
  return { start, end: start + DAY_MS };
}

export const DEMO_DEFAULTS = { count: 20_000, seed: 42, days: 30 } as const;

export interface DemoOptions {
  /** The end of the window (epoch ms), inclusive; default Date.now(). */
  now?: number;
  count?: number;
  seed?: number;
  /** Window length: timestamps fall in (now - days, now]. */
  days?: number;
}
