import type { IncomingMessage, ServerResponse } from "node:http";
import type { ObjectApi } from "../api/object-api.js";
import type { WriteOptions } from "../api/options.js";
import type { Registry } from "../registry/registry.js";
import { invalid } from "../status.js";
import type { Store } from "../store/store.js";
import type { WatchSet } from "./watch-set.js";

/** What every handler shares: the emulator's state. */
export interface ApiContext {
  /** Every read and write goes through here. */
  api: ObjectApi;
  store: Store;
  registry: Registry;
  clock: () => Date;
  /** Open watch streams, ended when the server closes. */
  watches: WatchSet;
}

/** One request, parsed once by the server. */
export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  pathname: string;
  query: URLSearchParams;
  accept: string;
  contentType: string | undefined;
  userAgent: string;
}

/** The field manager of a write: `?fieldManager=`, else the user agent up to its first slash, as the real server does. */
export function fieldManagerOf(request: ApiRequest): string {
  const given = request.query.get("fieldManager");
  if (given) return given;
  const prefix = request.userAgent.split("/")[0]?.trim() ?? "";
  return (prefix || "unknown").slice(0, 128);
}

/** `dryRun=All`: validate and answer, persist nothing. Any other value is refused, as by the real server (before it could write). */
export function isDryRun(request: ApiRequest, kind = "CreateOptions"): boolean {
  const values = request.query.getAll("dryRun");
  const unsupported = values.filter((v) => v !== "All");
  if (unsupported.length > 0)
    throw invalid(`${kind}.meta.k8s.io`, "", [
      {
        reason: "FieldValueNotSupported",
        field: "dryRun",
        message: `Unsupported value: []string{${values.map((v) => JSON.stringify(v)).join(", ")}}: supported values: "All"`,
      },
    ]);
  return values.length > 0;
}

/** The write options a request's query carries. */
export function writeOptionsOf(request: ApiRequest, subresource: "status" | undefined, kind = "CreateOptions"): WriteOptions {
  return {
    fieldManager: fieldManagerOf(request),
    dryRun: isDryRun(request, kind),
    ...(subresource ? { subresource } : {}),
  };
}
