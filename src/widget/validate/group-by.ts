/** group_by: a field to group by (agent, metadata key...) or a bucket interval, on the charts that take one. */

import { isPlainObject } from "../../shared/json.js";
import {
  type ChartType,
  displayName,
  findGroupByField,
  GROUP_BY_CHARTS,
  GROUP_BY_FIELDS,
  GROUP_BY_TYPES,
  METADATA_KEY,
  MIN_BUCKET_INTERVAL_MS,
} from "../catalogue.js";
import { didYouMean } from "../suggest.js";
import type { GroupBy } from "../types.js";
import { type Collector, type Dict, list, show } from "./issues.js";
import { enumValue, numberFrom, parseJsonArgument } from "./lenient.js";

const GROUP_BY_FIELD_NAMES = GROUP_BY_FIELDS.map(displayName);

/** The group_by argument (an object, or one as a JSON string); undefined when absent or refused. */
export function readGroupBy(a: Dict, chart: ChartType | undefined, c: Collector): GroupBy | undefined {
  if (a.group_by === undefined) return undefined;
  const g = parseJsonArgument(a.group_by, "group_by", c);
  return g === undefined ? undefined : checkGroupBy(g, chart, c);
}

function checkGroupBy(raw: unknown, chart: ChartType | undefined, c: Collector): GroupBy | undefined {
  const example = { type: "field", field: "agent.id" };
  if (!isPlainObject(raw)) {
    c.add("group_by", `group_by must be an object; got ${show(raw)}.`, undefined, { group_by: example });
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    if (key !== "type" && key !== "field" && key !== "interval") {
      c.add(`group_by.${key}`, `group_by takes type, field and interval; got "${key}".`, undefined, {
        group_by: example,
      });
      return undefined;
    }
  }
  if (chart !== undefined && !GROUP_BY_CHARTS.includes(chart)) {
    c.add(
      "group_by",
      chart === "stat"
        ? "stat charts take no group_by."
        : `group_by applies to ${list(GROUP_BY_CHARTS)} charts, not ${chart}.`,
      "Leave group_by out; for one figure per group, make one call per group with a filter (e.g. agent.id eq 12), or use a bar chart with group_by.",
    );
    return undefined;
  }
  const type = enumValue(raw.type, GROUP_BY_TYPES, "group_by.type", c, { group_by: example });
  if (type === "field") {
    const f = raw.field;
    const found = typeof f === "string" ? findGroupByField(f) : undefined;
    const known = found !== undefined && (found.key === undefined || METADATA_KEY.test(found.key));
    if (typeof f !== "string" || !known || raw.interval !== undefined) {
      c.add(
        "group_by.field",
        `group_by of type field needs one of ${list(GROUP_BY_FIELD_NAMES)} (and no interval); got ${show(f)}.${typeof f === "string" ? didYouMean(f, GROUP_BY_FIELD_NAMES) : ""}`,
        undefined,
        { group_by: example },
      );
      return undefined;
    }
    return { type, field: f };
  }
  if (type === "bucket") {
    const interval = numberFrom(raw.interval);
    if (
      typeof interval !== "number" ||
      !Number.isSafeInteger(interval) ||
      interval < MIN_BUCKET_INTERVAL_MS ||
      raw.field !== undefined
    ) {
      c.add(
        "group_by.interval",
        `group_by of type bucket needs interval: whole milliseconds, at least ${MIN_BUCKET_INTERVAL_MS} (and no field); got ${show(raw.interval)}.`,
        undefined,
        { group_by: { type: "bucket", interval: 3_600_000 } },
      );
      return undefined;
    }
    return { type, interval };
  }
  return undefined;
}
