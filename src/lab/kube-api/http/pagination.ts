/**
 * `limit` and `continue` on lists, as the real server pages them: a continue token names where the
 * next page starts; items come in namespace/name order. Pages are cut from the current state (the
 * real server reads them at the first page's resourceVersion: no runbook step depends on that).
 */
import { badRequest } from "../status.js";
import type { KubeObject } from "../types.js";

export interface Page {
  items: KubeObject[];
  continue?: string;
  remainingItemCount?: number;
}

interface Token {
  v: "meta.k8s.io/v1";
  rv: number;
  start: string;
}

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ""}/${o.metadata.name ?? ""}`;

/** The page a request asks for; 400 for a malformed limit or continue, as the real server. */
export function paginate(items: KubeObject[], resourceVersion: string, limitText: string | null, token: string | null): Page {
  const limit = limitText === null || limitText === "" ? 0 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) throw badRequest(`invalid value for limit: ${JSON.stringify(limitText)}`);
  let rest = items;
  if (token) {
    const start = decodeToken(token);
    rest = items.filter((item) => keyOf(item) > start);
  }
  if (limit === 0 || rest.length <= limit) return { items: rest };
  const page = rest.slice(0, limit);
  const last = page[page.length - 1] as KubeObject;
  const next: Token = { v: "meta.k8s.io/v1", rv: Number(resourceVersion), start: keyOf(last) };
  return { items: page, continue: Buffer.from(JSON.stringify(next)).toString("base64url"), remainingItemCount: rest.length - limit };
}

function decodeToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<Token>;
    if (parsed.v === "meta.k8s.io/v1" && typeof parsed.start === "string") return parsed.start;
  } catch {
    // fall through to the real server's answer
  }
  throw badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
}
