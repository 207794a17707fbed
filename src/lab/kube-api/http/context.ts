import type { IncomingMessage, ServerResponse } from "node:http";
import type { Registry } from "../registry/registry.js";
import type { Store } from "../store/store.js";
import type { WatchSet } from "./watch-set.js";

/** What every handler shares: the emulator's state. */
export interface ApiContext {
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

/** `dryRun=All`: validate and answer, persist nothing. */
export function isDryRun(request: ApiRequest): boolean {
  return request.query.getAll("dryRun").includes("All");
}
