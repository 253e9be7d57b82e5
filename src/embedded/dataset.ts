/**
 * The built-in demo dataset: deterministic synthetic call logs for demos, tests and benchmarks.
 *
 * The data tells a story worth finding with widget queries:
 * - five agents; "Tech Support Agent" (id 4) is clearly the worst: lower success, calls about
 *   twice as long, more transfers and customer hang-ups, lower ratings and accuracy;
 * - a bad day: the whole UTC day DEMO_BAD_DAY_DAYS_AGO (9) days before `now` (see demoBadDay):
 *   about a third of calls end in "error" or "silence-timed-out", the success rate falls from
 *   about 0.8 to about 0.45, latency more than doubles, ratings and accuracy sag;
 * - volume follows business hours in each region's local time (most calls 13:00-23:00 UTC, from
 *   the US), weekdays are busier than weekends, and volume grows slowly over the month.
 *
 * Everything comes from a seeded PRNG: the same (seed, now, count, days) gives identical calls.
 * Ids are 1..count in timestamp order.
 */
import type { MetricEvalType } from "../widget/catalogue.js";
import { DAY_MS, HOUR_MS, startOfUtcDay } from "../widget/time.js";
import type { CallLog, MetricEvaluation } from "./calls.js";

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
type EndedReason = (typeof DEMO_ENDED_REASONS)[number];

/** Calls of this length end with "exceeded-max-duration". */
export const DEMO_MAX_DURATION_S = 900;

type FailureReason = Exclude<EndedReason, "voicemail">;

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

/**
 * All calls of the demo dataset, ordered by timestamp (ids 1..count). 20,000 calls take about
 * 0.1-0.2 s; a million about 3 s and 300 MB. Metadata objects, agents and metric evaluations are
 * shared between calls and frozen. Throws RangeError on non-finite options or days <= 0.
 */
export function generateDemoCalls(opts: DemoOptions = {}): CallLog[] {
  const source = createSource(opts);
  const calls = new Array<CallLog>(source.count);
  for (let i = 0; i < source.count; i++) calls[i] = source.next();
  return calls;
}

/**
 * The same calls one at a time, without holding them all: for benchmarks and for writing large
 * files (`demoCalls({ count: 1_000_000 })`).
 */
export function* demoCalls(opts: DemoOptions = {}): Generator<CallLog, void, undefined> {
  const source = createSource(opts);
  for (let i = 0; i < source.count; i++) yield source.next();
}

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: tiny, fast, good enough for synthetic data; period 2^32. Plus normal and pick. */
class Rng {
  private a: number;
  private spare = Number.NaN;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) | 0;
    let t = Math.imul(this.a ^ (this.a >>> 15), 1 | this.a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

/** Cumulative weights for weighted choice; `choose` takes u in [0, 1). */
class Weighted<T> {
  private readonly items: T[] = [];
  private readonly cum: number[] = [];
  constructor(entries: Iterable<readonly [T, number]>) {
    let total = 0;
    for (const [item, w] of entries) {
      if (w <= 0) continue;
      total += w;
      this.items.push(item);
      this.cum.push(total);
    }
    for (let i = 0; i < this.cum.length; i++) this.cum[i] = (this.cum[i] as number) / total;
  }
  choose(u: number): T {
    const { cum, items } = this;
    for (let i = 0; i < cum.length - 1; i++) if (u < (cum[i] as number)) return items[i] as T;
    return items[items.length - 1] as T;
  }
}

// ---------------------------------------------------------------------------------------------
// Volume: when calls happen, and from which region

const REGION_SHARE: Record<DemoRegion, number> = { "us-east": 0.4, "us-west": 0.25, eu: 0.2, apac: 0.15 };
/** Hours from UTC to each region's local time (no daylight saving: it is synthetic). */
const REGION_UTC_OFFSET: Record<DemoRegion, number> = { "us-east": -5, "us-west": -8, eu: 1, apac: 8 };
/** Relative call rate by local hour: business hours, a lunch dip, quiet nights. */
const LOCAL_HOUR_RATE = [
  0.05, 0.04, 0.03, 0.03, 0.04, 0.06, 0.12, 0.3, 0.7, 1.0, 1.0, 0.95, 0.8, 0.9, 1.0, 0.95, 0.85, 0.65, 0.45,
  0.32, 0.25, 0.18, 0.12, 0.08,
];
/** By UTC weekday, Sunday first. */
const WEEKDAY_RATE = [0.32, 1.0, 1.02, 1.0, 0.98, 0.92, 0.45];

function localRate(region: DemoRegion, utcHour: number): number {
  return LOCAL_HOUR_RATE[(((utcHour + REGION_UTC_OFFSET[region]) % 24) + 24) % 24] as number;
}

const RATE_BY_UTC_HOUR: number[] = [];
/** Which region (index in DEMO_REGIONS) a call at each UTC hour comes from. */
const REGION_BY_UTC_HOUR: Weighted<number>[] = [];
for (let h = 0; h < 24; h++) {
  let rate = 0;
  for (const r of DEMO_REGIONS) rate += REGION_SHARE[r] * localRate(r, h);
  RATE_BY_UTC_HOUR.push(rate);
  REGION_BY_UTC_HOUR.push(
    new Weighted(DEMO_REGIONS.map((r, i) => [i, REGION_SHARE[r] * localRate(r, h)] as const)),
  );
}

/**
 * Timestamps by stratified sampling of the volume curve: call i takes the quantile
 * (i + u) / count of the cumulative rate, so timestamps rise with i, ids follow time, and the
 * hourly counts follow the curve (with a little day and hour noise from the seed).
 */
class Timeline {
  private readonly starts: number[] = [];
  private readonly lengths: number[] = [];
  private readonly cum: number[] = [];
  private readonly total: number;
  private slot = 0;

  constructor(
    private readonly windowStart: number,
    private readonly now: number,
    rng: Rng,
  ) {
    const firstDay = startOfUtcDay(windowStart);
    const dayNoise: number[] = [];
    const days = Math.ceil((now - firstDay) / DAY_MS) + 1;
    for (let d = 0; d < days; d++) dayNoise.push(Math.max(0.7, 1 + 0.08 * rng.normal()));
    let total = 0;
    let t = windowStart;
    while (t < now) {
      const end = Math.min(now, (Math.floor(t / HOUR_MS) + 1) * HOUR_MS);
      const hour = Math.floor(t / HOUR_MS) % 24;
      const dayIndex = Math.floor((t - firstDay) / DAY_MS);
      const weekday = new Date(t).getUTCDay();
      const growth = 1 + (0.25 * (t - windowStart)) / Math.max(1, now - windowStart);
      const hourNoise = Math.max(0.5, 1 + 0.1 * rng.normal());
      const rate =
        (RATE_BY_UTC_HOUR[hour] as number) *
        (WEEKDAY_RATE[weekday] as number) *
        (dayNoise[dayIndex] as number) *
        growth *
        hourNoise;
      total += rate * (end - t);
      this.starts.push(t);
      this.lengths.push(end - t);
      this.cum.push(total);
      t = end;
    }
    this.total = total;
  }

  /** q in [0, 1), non-decreasing between calls. */
  at(q: number): number {
    if (this.starts.length === 0) return this.now;
    const target = q * this.total;
    const { cum } = this;
    while (this.slot < cum.length - 1 && (cum[this.slot] as number) <= target) this.slot++;
    const before = this.slot === 0 ? 0 : (cum[this.slot - 1] as number);
    const width = (cum[this.slot] as number) - before;
    const frac = width > 0 ? Math.min(1, Math.max(0, (target - before) / width)) : 0;
    const t = Math.floor((this.starts[this.slot] as number) + frac * (this.lengths[this.slot] as number));
    return Math.min(this.now, Math.max(this.windowStart + 1, t));
  }
}

// ---------------------------------------------------------------------------------------------
// One call

const METRIC_REFS = new Map<number, MetricEvaluation["metric"]>(
  DEMO_METRICS.map((m) => [m.id, Object.freeze({ id: m.id, name: m.name, eval_type: m.eval_type })]),
);
const metricRef = (id: number): MetricEvaluation["metric"] =>
  METRIC_REFS.get(id) as MetricEvaluation["metric"];
const CSAT = metricRef(DEMO_METRIC_IDS.customerSatisfaction);
const GOAL = metricRef(DEMO_METRIC_IDS.goalAchieved);
const ACCURACY = metricRef(DEMO_METRIC_IDS.responseAccuracy);
const OUTCOME = metricRef(DEMO_METRIC_IDS.callOutcome);

const AGENT_CHOICE = new Weighted(DEMO_AGENTS.map((a) => [a, a.share] as const));
const FAILURE_CHOICE = new Map<number, Weighted<FailureReason>>(
  DEMO_AGENTS.map((a) => [a.id, new Weighted(Object.entries(a.failureReasons) as [FailureReason, number][])]),
);
const AGENT_REFS = new Map<number, { id: number; agent_name: string }>(
  DEMO_AGENTS.map((a) => [a.id, Object.freeze({ id: a.id, agent_name: a.agent_name })]),
);

const US_AREA_CODES = ["212", "312", "305", "404", "415", "512", "617", "646", "713", "720", "206", "503"];
const COUNTRY_FORMATS: Record<DemoRegion, readonly (readonly [string, number])[]> = {
  // [prefix, number of random digits after it]
  "us-east": US_AREA_CODES.slice(0, 9).map((a) => [`+1${a}`, 7] as const),
  "us-west": ["415", "720", "206", "503", "213", "619"].map((a) => [`+1${a}`, 7] as const),
  eu: [
    ["+447", 9],
    ["+4915", 9],
    ["+336", 8],
    ["+346", 8],
  ],
  apac: [
    ["+614", 8],
    ["+659", 7],
    ["+8190", 8],
  ],
};

function phoneNumber(rng: Rng, region: DemoRegion): string {
  const [prefix, digits] = rng.pick(COUNTRY_FORMATS[region]);
  return (
    prefix +
    Math.floor(rng.next() * 10 ** digits)
      .toString()
      .padStart(digits, "0")
  );
}

/*
 * Calls share their metadata objects and metric evaluations (frozen): every value comes from a
 * small set, and sharing keeps a million calls within a few hundred MB. Readers must not mutate
 * them; a frozen object makes an attempt throw instead of corrupting other calls.
 */
const METADATA_CACHE: (CallLog["metadata"] | undefined)[] = [];
/** regionIndex: index in DEMO_REGIONS or -1; callType: 0 none, 1 inbound, 2 outbound; agent for the campaign. */
function sharedMetadata(
  regionIndex: number,
  callType: 0 | 1 | 2,
  campaignOf: DemoAgent | undefined,
): CallLog["metadata"] {
  const agentIndex = campaignOf === undefined ? -1 : DEMO_AGENTS.indexOf(campaignOf);
  const key = ((regionIndex + 1) * 3 + callType) * (DEMO_AGENTS.length + 1) + agentIndex + 1;
  let m = METADATA_CACHE[key];
  if (m === undefined) {
    const fresh: CallLog["metadata"] = {};
    const region = DEMO_REGIONS[regionIndex];
    if (region !== undefined) fresh.region = region;
    if (callType !== 0) fresh.call_type = callType === 1 ? "inbound" : "outbound";
    if (campaignOf !== undefined) fresh.campaign = campaignOf.campaign;
    m = Object.freeze(fresh);
    METADATA_CACHE[key] = m;
  }
  return m;
}

const EVALUATION_CACHE = new Map<
  MetricEvaluation["metric"],
  Map<MetricEvaluation["value"], MetricEvaluation>
>();
function sharedEvaluation(
  metric: MetricEvaluation["metric"],
  value: MetricEvaluation["value"],
): MetricEvaluation {
  let byValue = EVALUATION_CACHE.get(metric);
  if (byValue === undefined) {
    byValue = new Map();
    EVALUATION_CACHE.set(metric, byValue);
  }
  let e = byValue.get(value);
  if (e === undefined) {
    e = Object.freeze({ metric, value });
    byValue.set(value, e);
  }
  return e;
}
const NO_EVALUATIONS = Object.freeze([]) as unknown as MetricEvaluation[];

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(x, hi));

function csatValue(rng: Rng, success: boolean | null, worst: boolean, bad: boolean): number {
  const u = rng.next();
  let v: number;
  if (success === true) v = u < 0.55 ? 5 : u < 0.9 ? 4 : 3;
  else if (success === false) v = u < 0.3 ? 1 : u < 0.65 ? 2 : u < 0.9 ? 3 : 4;
  else v = u < 0.3 ? 2 : u < 0.75 ? 3 : 4;
  if ((worst || bad) && rng.next() < 0.3) v -= 1;
  return clamp(v, 1, 5);
}

function outcomeValue(rng: Rng, reason: EndedReason, success: boolean | null): string {
  if (reason === "transferred") return "escalated";
  if (success === true) return rng.next() < 0.85 ? "resolved" : "follow-up";
  if (reason === "customer-ended-call" || reason === "silence-timed-out")
    return rng.next() < 0.7 ? "abandoned" : "follow-up";
  if (reason === "exceeded-max-duration") return rng.next() < 0.5 ? "escalated" : "follow-up";
  if (reason === "error") return rng.next() < 0.6 ? "abandoned" : "follow-up";
  return "follow-up";
}

interface Source {
  count: number;
  next(): CallLog;
}

function createSource(opts: DemoOptions): Source {
  const now = Math.floor(opts.now ?? Date.now());
  const count = Math.max(0, Math.floor(opts.count ?? DEMO_DEFAULTS.count));
  const seed = Math.floor(opts.seed ?? DEMO_DEFAULTS.seed);
  const days = opts.days ?? DEMO_DEFAULTS.days;
  if (!Number.isFinite(now) || !Number.isFinite(count) || !Number.isFinite(seed)) {
    throw new RangeError("generateDemoCalls: now, count and seed must be finite numbers");
  }
  if (!(days > 0)) throw new RangeError("generateDemoCalls: days must be positive");
  const windowStart = now - Math.round(days * DAY_MS);
  // Separate streams: the volume curve and the caller pool depend on the seed only, not on count.
  const timeline = new Timeline(windowStart, now, new Rng(seed ^ 0x5bd1e995));
  const poolRng = new Rng(seed ^ 0x27d4eb2f);
  const regulars = DEMO_REGIONS.map((r) => Array.from({ length: 80 }, () => phoneNumber(poolRng, r)));
  const rng = new Rng(seed);
  const bad = demoBadDay(now);
  const recent = now - 2 * DAY_MS;
  let i = 0;

  const next = (): CallLog => {
    const timestamp = timeline.at((i + rng.next()) / count);
    const id = ++i;
    const isBad = timestamp >= bad.start && timestamp < bad.end;
    const hour = Math.floor(timestamp / HOUR_MS) % 24;
    const agent = AGENT_CHOICE.choose(rng.next());
    const worst = agent.id === DEMO_WORST_AGENT_ID;
    const regionIndex = (REGION_BY_UTC_HOUR[hour] as Weighted<number>).choose(rng.next());
    const region = DEMO_REGIONS[regionIndex] as DemoRegion;
    const outbound = rng.next() < agent.outboundShare;

    // How the call went.
    let reason: EndedReason;
    let success: boolean | null;
    if (isBad && rng.next() < 0.33) {
      reason = rng.next() < 0.7 ? "error" : "silence-timed-out";
      success = false;
    } else if (outbound && rng.next() < 0.22) {
      reason = "voicemail";
      success = null;
    } else {
      let p = agent.successRate;
      if (isBad) p *= 0.8;
      if (region === "apac") p -= 0.03;
      success = rng.next() < p;
      reason = success
        ? rng.next() < 0.55
          ? "customer-ended-call"
          : "assistant-ended-call"
        : (FAILURE_CHOICE.get(agent.id) as Weighted<FailureReason>).choose(rng.next());
    }
    if (success !== null && rng.next() < 0.02) success = null; // not evaluated

    // Duration (seconds): lognormal around the agent's median, shaped by how the call ended.
    const base = agent.medianDurationS * Math.exp(0.5 * rng.normal());
    let seconds: number;
    switch (reason) {
      case "error":
        seconds = 3 + rng.next() * 40;
        break;
      case "voicemail":
        seconds = 12 + rng.next() * 35;
        break;
      case "exceeded-max-duration":
        seconds = DEMO_MAX_DURATION_S;
        break;
      case "silence-timed-out":
        seconds = 20 + base * 0.6;
        break;
      case "transferred":
        seconds = 15 + base * 0.7;
        break;
      case "customer-ended-call":
        seconds = success === false ? base * 0.55 : base;
        break;
      default:
        seconds = base;
    }
    if (reason !== "exceeded-max-duration") seconds = clamp(seconds, 3, DEMO_MAX_DURATION_S - 1);
    const duration = rng.next() < 0.01 ? null : Math.round(seconds);

    let latency: number | null = agent.medianLatencyMs * Math.exp(0.35 * rng.normal());
    if (region === "apac") latency += 180;
    else if (region === "eu") latency += 60;
    if (isBad) latency *= 2.4;
    latency = rng.next() < 0.02 ? null : Math.round(latency);

    const topic = rng.next() < 0.04 ? null : rng.pick(agent.topics);
    let dropoff: string | null = null;
    if (success === false) {
      if (reason === "error") dropoff = agent.dropoffPoints[0] as string;
      else if (rng.next() >= 0.05) {
        const stages = agent.dropoffPoints;
        dropoff = stages[1 + Math.floor(rng.next() * (stages.length - 1))] as string;
      }
    }

    let customer: string | null = null;
    const u = rng.next();
    if (u >= 0.03) {
      customer = u < 0.15 ? rng.pick(regulars[regionIndex] as string[]) : phoneNumber(rng, region);
    }

    let reviewChance = success === false ? 0.12 : success === true ? 0.03 : 0.05;
    if (timestamp > recent) reviewChance *= 0.3; // reviews lag behind
    const is_reviewed = rng.next() < reviewChance;

    const metadata = sharedMetadata(
      rng.next() >= 0.015 ? regionIndex : -1,
      rng.next() >= 0.01 ? (outbound ? 2 : 1) : 0,
      outbound ? agent : undefined,
    );

    // Filled by index and trimmed: a list grown by push keeps room for 17 entries.
    const evals = new Array<MetricEvaluation>(4);
    let n = 0;
    const evaluated = !(reason === "voicemail" || (reason === "error" && rng.next() < 0.7));
    if (evaluated) {
      if (rng.next() < 0.88) {
        evals[n++] = sharedEvaluation(CSAT, rng.next() < 0.03 ? null : csatValue(rng, success, worst, isBad));
      }
      if (rng.next() < 0.92) {
        let goal = success ?? rng.next() < 0.5;
        if (rng.next() < 0.06) goal = !goal;
        evals[n++] = sharedEvaluation(GOAL, rng.next() < 0.02 ? null : goal);
      }
      if (rng.next() < 0.75) {
        const mean = agent.accuracyMean - (isBad ? 0.12 : 0) - (success === false ? 0.05 : 0);
        const acc = Math.round(clamp(mean + 0.07 * rng.normal(), 0, 1) * 100) / 100;
        evals[n++] = sharedEvaluation(ACCURACY, rng.next() < 0.03 ? null : acc);
      }
      if (rng.next() < 0.82) {
        evals[n++] = sharedEvaluation(OUTCOME, rng.next() < 0.02 ? null : outcomeValue(rng, reason, success));
      }
    }
    evals.length = n;

    return {
      id,
      timestamp,
      duration,
      success,
      is_reviewed,
      call_ended_reason: reason,
      dropoff_point: dropoff,
      topic,
      customer_number: customer,
      agent: AGENT_REFS.get(agent.id) as { id: number; agent_name: string },
      metadata,
      metric_evaluations: n === 0 ? NO_EVALUATIONS : evals,
      latency_ms: latency,
    };
  };
  return { count, next };
}
