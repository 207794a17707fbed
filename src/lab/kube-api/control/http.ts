import { parseJsonBody, readBody } from "../http/body.js";
import type { ApiRequest } from "../http/context.js";
import { sendJson } from "../http/respond.js";
import { ApiError, badRequest, methodNotAllowed } from "../status.js";
import { pathNotFound } from "../status-codes.js";
import type { KubeApiControl } from "./control.js";
import type { Fault, FaultSet } from "./faults.js";
import { FixtureError, parseFixtureText } from "./fixtures.js";

/** A fault as sent over HTTP: `path` matches exactly, `pathPattern` is a regular expression; `times` may be "Infinity". */
export interface FaultBody extends Omit<Fault, "path" | "times"> {
  path?: string;
  pathPattern?: string;
  times?: number | "Infinity";
}

/**
 * The control interface over HTTP, beside the API (same auth):
 *   GET/DELETE /recover-lab/v1/requests, GET/POST/DELETE …/faults, DELETE …/faults/<id>,
 *   POST …/fixtures (body: YAML or JSON objects; or ?path=<file or dir on the server>),
 *   POST …/compaction (etcd's compaction: older resourceVersions answer 410).
 */
export async function handleControl(control: KubeApiControl, faults: FaultSet, request: ApiRequest, path: string[]): Promise<void> {
  const [what, id, ...extra] = path;
  if (extra.length > 0) throw pathNotFound();
  const method = request.method;
  if (what === "requests" && id === undefined) {
    if (method === "GET") return sendJson(request.res, 200, { items: control.requests() });
    if (method === "DELETE") {
      control.clearRequests();
      return sendJson(request.res, 200, { cleared: "all" });
    }
    throw methodNotAllowed(method);
  }
  if (what === "faults") {
    if (id !== undefined) {
      if (method !== "DELETE") throw methodNotAllowed(method);
      if (!faults.remove(Number(id))) throw new ApiError(404, "NotFound", `no active fault with id ${id}`);
      return sendJson(request.res, 200, { cleared: Number(id) });
    }
    if (method === "GET") return sendJson(request.res, 200, { items: control.faults() });
    if (method === "DELETE") {
      control.clearFaults();
      return sendJson(request.res, 200, { cleared: "all" });
    }
    if (method === "POST") {
      const handle = faults.inject(faultFromBody(parseJsonBody(await readBody(request.req), "invalid fault: json parse error")));
      return sendJson(request.res, 201, faults.list().find((f) => f.id === handle.id) ?? { id: handle.id, remaining: 0 });
    }
    throw methodNotAllowed(method);
  }
  if (what === "compaction" && id === undefined) {
    if (method !== "POST") throw methodNotAllowed(method);
    return sendJson(request.res, 200, { compactedResourceVersion: String(control.compact()) });
  }
  if (what === "fixtures" && id === undefined) {
    if (method !== "POST") throw methodNotAllowed(method);
    const from = request.query.get("path");
    try {
      const loaded = from
        ? await control.load(from)
        : await control.load(parseFixtureText((await readBody(request.req)).toString("utf8"), "request body"));
      return sendJson(request.res, 200, { loaded });
    } catch (error) {
      if (error instanceof FixtureError) throw badRequest(error.message);
      throw error;
    }
  }
  throw pathNotFound();
}

/** Turns a fault sent as JSON into a Fault; unknown fields are refused so typos do not pass silently. */
export function faultFromBody(value: unknown): Fault {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw badRequest("invalid fault: send a JSON object");
  const body = value as FaultBody & Record<string, unknown>;
  const known = new Set(["method", "path", "pathPattern", "times", "status", "message", "delayMs", "hang", "drop"]);
  const unknown = Object.keys(body).filter((k) => !known.has(k));
  if (unknown.length > 0) throw badRequest(`invalid fault: unknown field(s) ${unknown.join(", ")}`);
  if ((body.path === undefined) === (body.pathPattern === undefined))
    throw badRequest("invalid fault: give exactly one of path and pathPattern");
  let path: string | RegExp;
  try {
    path = body.pathPattern !== undefined ? new RegExp(String(body.pathPattern)) : String(body.path);
  } catch (error) {
    throw badRequest(`invalid fault: pathPattern: ${(error as Error).message}`);
  }
  const { pathPattern: _p, path: _q, times, ...rest } = body;
  return { ...rest, path, ...(times !== undefined ? { times: times === "Infinity" ? Number.POSITIVE_INFINITY : Number(times) } : {}) };
}
