/**
 * Sharing between the rows of one load: identical metric, evaluation and agent objects,
 * evaluation lists and metadata objects are one frozen object each (see RowInterner).
 */
import { METADATA_KEY, type MetricEvalType } from "../widget/catalogue.js";
import type { CallLog, MetricEvaluation } from "./calls.js";

type MetricRef = MetricEvaluation["metric"];
type Agent = NonNullable<CallLog["agent"]>;

/** A metric as loaded, with the evaluations of it that rows share. */
export interface MetricSlot {
  readonly ref: MetricRef;
  readonly values: Map<MetricEvaluation["value"], SharedEvaluation>;
}

/** An evaluation from RowInterner.evaluation, with its code for finding lists (0: not shared). */
export interface SharedEvaluation {
  readonly evaluation: MetricEvaluation;
  readonly code: number;
}

/** Distinct values per metric whose evaluation objects are shared; beyond it each row gets its own. */
const SHARED_VALUES_PER_METRIC = 4096;

/** Distinct short strings shared per load. */
const SHARED_TEXTS = 50_000;

/** Distinct evaluation lists shared per load (see RowInterner.endList). */
const SHARED_LISTS = 50_000;
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** Distinct metadata objects shared per load (trie nodes, see RowInterner.metadata). */
const SHARED_METADATA_NODES = 20_000;

type Metadata = CallLog["metadata"];
type MetadataValue = Metadata[string];

/** Rows without metadata share this one (frozen) empty object. */
export const NO_METADATA: Metadata = Object.freeze({});

/** A trie node of shared metadata objects: one level per (key, value), in the row's key order. */
interface MetadataNode {
  readonly metadata: Metadata;
  next: Map<string, Map<MetadataValue, MetadataNode>> | undefined;
}

/** Rows without evaluations share this one (frozen) empty list. */
export const NO_EVALUATIONS = Object.freeze([]) as unknown as MetricEvaluation[];

/**
 * Shares identical metric, evaluation and agent objects, evaluation lists and metadata objects
 * (all frozen) between the rows of one load: a million calls carry a few million evaluations but
 * only a handful of distinct metrics and mostly a handful of distinct values (booleans, ratings,
 * enum labels), so sharing saves both memory and garbage-collection time (what a load keeps is
 * most of the collector's work). Readers must not mutate calls.
 */
export class RowInterner {
  private readonly metrics = new Map<number, MetricSlot[]>();
  private readonly agents = new Map<number, Agent[]>();

  metric(id: number, name: string, eval_type: MetricEvalType): MetricSlot {
    let list = this.metrics.get(id);
    if (list === undefined) {
      list = [];
      this.metrics.set(id, list);
    }
    for (const m of list) if (m.ref.name === name && m.ref.eval_type === eval_type) return m;
    const slot: MetricSlot = { ref: Object.freeze({ id, name, eval_type }), values: new Map() };
    list.push(slot);
    return slot;
  }

  private evaluationCodes = 0;

  evaluation(slot: MetricSlot, value: MetricEvaluation["value"]): SharedEvaluation {
    let e = slot.values.get(value);
    if (e === undefined) {
      const evaluation = Object.freeze({ metric: slot.ref, value });
      if (slot.values.size < SHARED_VALUES_PER_METRIC) {
        e = { evaluation, code: ++this.evaluationCodes };
        slot.values.set(value, e);
      } else e = { evaluation, code: 0 };
    }
    return e;
  }

  /**
   * Evaluation lists, built by beginList, addToList (per evaluation kept) and endList. Rows carry
   * the same few metrics with a few values each, so a million rows hold a few thousand distinct
   * lists: sharing one (frozen) copy of each saves most of what the loaded calls would otherwise
   * keep, and much garbage-collection work. A list is found by a 32-bit hash of the codes of its
   * entries (a small-integer key: a Map boxes other numbers, and a lookup then costs a cache miss
   * more) and then compared entry by entry; of two lists with one hash, only the first is shared.
   */
  private readonly lists = new Map<number, MetricEvaluation[]>();
  private readonly listItems: MetricEvaluation[] = [];
  private listLength = 0;
  /** FNV-1a over the codes so far; 0 once an entry is not shared (then neither is the list). */
  private listHash = 0;

  beginList(): void {
    this.listLength = 0;
    this.listHash = FNV_OFFSET;
  }

  addToList(e: SharedEvaluation): void {
    this.listItems[this.listLength++] = e.evaluation;
    const hash = this.listHash;
    if (hash !== 0) this.listHash = e.code === 0 ? 0 : Math.imul(hash ^ e.code, FNV_PRIME) || 1;
  }

  endList(): MetricEvaluation[] {
    const n = this.listLength;
    if (n === 0) return NO_EVALUATIONS;
    const items = this.listItems;
    const hash = this.listHash;
    const known = hash === 0 ? undefined : this.lists.get(hash);
    if (known !== undefined && known.length === n) {
      let same = true;
      for (let i = 0; i < n && same; i++) same = known[i] === items[i];
      if (same) return known;
    }
    const list = items.slice(0, n); // sized exactly (a list grown by push keeps spare room)
    if (hash !== 0 && known === undefined && this.lists.size < SHARED_LISTS) {
      this.lists.set(hash, Object.freeze(list) as MetricEvaluation[]);
    }
    return list;
  }

  private readonly texts = new Map<string, string>();

  /**
   * One shared copy of a repeated short string (reasons, topics, names, metadata values) instead
   * of one per row, for up to SHARED_TEXTS distinct strings.
   */
  text<T extends string | null>(s: T): T {
    if (s === null || s.length > 64) return s;
    const known = this.texts.get(s);
    if (known !== undefined) return known as T;
    if (this.texts.size < SHARED_TEXTS) this.texts.set(s, s);
    return s;
  }

  agent(id: number, agent_name: string): Agent {
    let list = this.agents.get(id);
    if (list === undefined) {
      list = [];
      this.agents.set(id, list);
    }
    for (const a of list) if (a.agent_name === agent_name) return a;
    const a: Agent = Object.freeze({ id, agent_name });
    list.push(a);
    return a;
  }

  private readonly metadataRoot: MetadataNode = { metadata: NO_METADATA, next: undefined };
  private metadataNodes = 0;

  /**
   * The addressable top-level keys of a metadata object (see metadataField), as one shared
   * (frozen) object per distinct content: metadata mostly takes a few values per key (region,
   * call type, campaign). Values that are unlikely to repeat (long text), or a full trie, give the
   * row its own object.
   */
  metadata(obj: Record<string, unknown>): Metadata {
    let node = this.metadataRoot;
    for (const key in obj) {
      if (!isAddressableKey(key)) continue;
      const value = metadataValue(obj[key]);
      if (value === undefined) continue;
      let next = node.next?.get(key)?.get(value);
      if (next === undefined) {
        if (this.metadataNodes >= SHARED_METADATA_NODES || (typeof value === "string" && value.length > 64)) {
          return ownMetadata(obj, this);
        }
        const shared = typeof value === "string" ? this.text(value) : value;
        next = { metadata: Object.freeze({ ...node.metadata, [key]: shared }), next: undefined };
        if (node.next === undefined) node.next = new Map();
        let byValue = node.next.get(key);
        if (byValue === undefined) {
          byValue = new Map();
          node.next.set(key, byValue);
        }
        byValue.set(value, next);
        this.metadataNodes++;
      }
      node = next;
    }
    return node.metadata;
  }
}

const addressableKeys = new Map<string, boolean>();
function isAddressableKey(key: string): boolean {
  let yes = addressableKeys.get(key);
  if (yes === undefined) {
    yes = key !== "__proto__" && METADATA_KEY.test(key);
    if (addressableKeys.size < 10_000) addressableKeys.set(key, yes);
  }
  return yes;
}

/** A metadata value as kept: text, number, boolean or null; nested values as JSON text. */
function metadataValue(value: unknown): MetadataValue | undefined {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return value === undefined ? undefined : JSON.stringify(value);
}

export function ownMetadata(obj: Record<string, unknown>, interner: RowInterner): Metadata {
  const out: Metadata = {};
  for (const key in obj) {
    if (!isAddressableKey(key)) continue;
    const value = metadataValue(obj[key]);
    if (value !== undefined) out[key] = typeof value === "string" ? interner.text(value) : value;
  }
  return out;
}
