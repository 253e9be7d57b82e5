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
import { DAY_MS, HOUR_MS } from "../widget/time.js";
import type { CallLog, MetricEvaluation } from "./calls.js";
import {
  DEMO_AGENTS,
  DEMO_DEFAULTS,
  DEMO_MAX_DURATION_S,
  DEMO_METRIC_IDS,
  DEMO_METRICS,
  DEMO_REGIONS,
  DEMO_WORST_AGENT_ID,
  type DemoAgent,
  type DemoOptions,
  type DemoRegion,
  demoBadDay,
  type EndedReason,
  type FailureReason,
} from "./demo-story.js";
import { REGION_BY_UTC_HOUR, Rng, Timeline, Weighted } from "./demo-volume.js";

export * from "./demo-story.js";

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
