/**
 * `limit` and `continue` on lists, as the real server pages them: a continue token names where the
 * next page starts and the resourceVersion the first page was read at; items come in namespace/name order.
 */
import { badRequest } from "../status.js";
import type { KubeObject } from "../types.js";

export interface Page {
  items: KubeObject[];
  continue?: string;
  remainingItemCount?: number;
}

/** A decoded continue token; `rv` -1 means "the latest revision" (the token a 410 hands out). */
export interface ContinueToken {
  rv: number;
  start: string;
}

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

/** etcd3's token: raw base64url of `{"v":"meta.k8s.io/v1","rv":…,"start":…}`. */
export const encodeContinue = (token: ContinueToken): string =>
  Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: token.rv, start: token.start })).toString("base64url");

/** 400 for a malformed limit, as the real server. */
export function parseLimit(limitText: string | null): number {
  const limit = limitText === null || limitText === "" ? 0 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid value for limit: ${JSON.stringify(limitText)}`);
  return limit;
}

/** The page starting after `start` (undefined: the first); the next token carries the list's resourceVersion. */
export function paginate(items: KubeObject[], resourceVersion: string, limit: number, start: string | undefined): Page {
  const rest = start === undefined ? items : items.filter((item) => keyOf(item) > start);
  if (limit === 0 || rest.length <= limit) return { items: rest };
  const page = rest.slice(0, limit);
  const last = page[page.length - 1] as KubeObject;
  const next = encodeContinue({ rv: Number(resourceVersion), start: keyOf(last) });
  return { items: page, continue: next, remainingItemCount: rest.length - limit };
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { v?: unknown; rv?: unknown; start?: unknown };
    if (parsed.v === "meta.k8s.io/v1" && typeof parsed.start === "string" && Number.isInteger(parsed.rv) && parsed.rv !== 0)
      return { rv: parsed.rv as number, start: parsed.start };
  } catch {
    // fall through to the real server's answer
  }
  throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
}
