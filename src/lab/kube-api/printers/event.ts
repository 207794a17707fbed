/**
 * The event printer (printEvent) for core v1 and events.k8s.io/v1 events, which the real
 * server prints alike: LAST SEEN TYPE REASON OBJECT MESSAGE, the rest at priority 1.
 */

import type { KubeObject } from "../types.js";
import { ageSince } from "./age.js";
import { type BuiltinPrinter, column, NAME_DESCRIPTION, type PrintedRow, rec, str } from "./cells.js";

const COLUMNS = [
  column("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
  column("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
  column(
    "Reason",
    "string",
    "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
  ),
  column("Object", "string", "The object that this event is about."),
  column(
    "Subobject",
    "string",
    "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.",
    {
      priority: 1,
    },
  ),
  column("Source", "string", "The component reporting this event. Should be a short machine understandable string.", { priority: 1 }),
  column("Message", "string", "A human-readable description of the status of this operation."),
  column("First Seen", "string", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", {
    priority: 1,
  }),
  column("Count", "string", "The number of times this event has occurred.", { priority: 1 }),
  column("Name", "string", NAME_DESCRIPTION, { format: "name", priority: 1 }),
];

/** The core v1 view of an event; events.k8s.io/v1 names the same fields differently. */
interface CoreEvent {
  involvedObject: Record<string, unknown>;
  reason: string;
  message: string;
  type: string;
  source: Record<string, unknown>;
  firstTimestamp: unknown;
  lastTimestamp: unknown;
  eventTime: unknown;
  count: number;
  series: Record<string, unknown> | undefined;
  reportingController: string;
  reportingInstance: string;
}

function asCoreEvent(event: KubeObject): CoreEvent {
  const modern = event.apiVersion.startsWith("events.k8s.io/");
  const series = event.series === undefined || event.series === null ? undefined : rec(event.series);
  return {
    involvedObject: rec(modern ? event.regarding : event.involvedObject),
    reason: str(event.reason),
    message: str(modern ? event.note : event.message),
    type: str(event.type),
    source: rec(modern ? event.deprecatedSource : event.source),
    firstTimestamp: modern ? event.deprecatedFirstTimestamp : event.firstTimestamp,
    lastTimestamp: modern ? event.deprecatedLastTimestamp : event.lastTimestamp,
    eventTime: event.eventTime,
    count:
      typeof (modern ? event.deprecatedCount : event.count) === "number" ? ((modern ? event.deprecatedCount : event.count) as number) : 0,
    series,
    reportingController: str(modern ? event.reportingController : event.reportingComponent),
    reportingInstance: str(event.reportingInstance),
  };
}

function eventRow(object: KubeObject, now: number): PrintedRow {
  const event = asCoreEvent(object);
  const hasFirst = typeof event.firstTimestamp === "string" && event.firstTimestamp !== "";
  const firstSeen = hasFirst ? ageSince(event.firstTimestamp, now) : ageSince(event.eventTime, now);
  const hasLast = typeof event.lastTimestamp === "string" && event.lastTimestamp !== "";
  let lastSeen = hasLast ? ageSince(event.lastTimestamp, now) : firstSeen;
  let count = event.count;
  if (event.series) {
    lastSeen = ageSince(event.series.lastObservedTime, now);
    count = typeof event.series.count === "number" ? event.series.count : 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }
  const kind = str(event.involvedObject.kind).toLowerCase();
  const name = str(event.involvedObject.name);
  const component = str(event.source.component) || event.reportingController;
  const host = str(event.source.host) || event.reportingInstance;
  return {
    cells: [
      lastSeen,
      event.type,
      event.reason,
      name ? `${kind}/${name}` : kind,
      str(event.involvedObject.fieldPath),
      host ? `${component}, ${host}` : component,
      event.message.trim(),
      firstSeen,
      count,
      object.metadata.name ?? "",
    ],
  };
}

/** LAST SEEN TYPE REASON OBJECT MESSAGE (+ SUBOBJECT SOURCE FIRST SEEN COUNT NAME wide). */
export const eventPrinter: BuiltinPrinter = { columns: COLUMNS, row: eventRow };
