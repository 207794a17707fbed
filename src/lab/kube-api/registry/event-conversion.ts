/**
 * core/v1 Events and events.k8s.io/v1 Events are one store on a real server, the second a view of
 * the first: `regarding` is `involvedObject`, `note` is `message`, and so on (k8s.io/kubernetes
 * pkg/apis/events/v1 conversion). Drills read the events controllers write, through either API.
 */
import type { KubeObject } from "../types.js";

/** events.k8s.io/v1 field ↔ core/v1 field, for the fields whose names differ. */
const RENAMED: [string, string][] = [
  ["regarding", "involvedObject"],
  ["note", "message"],
  ["deprecatedSource", "source"],
  ["deprecatedFirstTimestamp", "firstTimestamp"],
  ["deprecatedLastTimestamp", "lastTimestamp"],
  ["deprecatedCount", "count"],
  ["reportingController", "reportingComponent"],
];
const SAME = ["reason", "type", "eventTime", "series", "action", "related", "reportingInstance"];

function convert(object: KubeObject, apiVersion: string, pairs: [string, string][]): KubeObject {
  const out: KubeObject = { apiVersion, kind: "Event", metadata: object.metadata };
  for (const [from, to] of pairs) if (object[from] !== undefined) out[to] = object[from];
  for (const field of SAME) if (object[field] !== undefined) out[field] = object[field];
  return out;
}

/** An events.k8s.io/v1 Event in the core/v1 shape the store keeps. */
export const eventToCore = (event: KubeObject): KubeObject => convert(event, "v1", RENAMED);

/** A stored core/v1 Event as events.k8s.io/v1 shows it. */
export const eventFromCore = (event: KubeObject): KubeObject =>
  convert(
    event,
    "events.k8s.io/v1",
    RENAMED.map(([a, b]) => [b, a]),
  );
