import { badRequest } from "../status.js";

/**
 * How deeply a request body may nest objects and arrays: far beyond any real Kubernetes object, and
 * well within what the emulator's recursive copies, patches and field sets can walk (the real
 * server's decoder stops at 10,000; deeper than a few thousand would exhaust this process's stack).
 */
export const MAX_BODY_DEPTH = 512;

/** Throws 400 BadRequest when `value` nests deeper than MAX_BODY_DEPTH; walks without recursion. */
export function checkDepth(value: unknown, what: string): void {
  const pending: [unknown, number][] = [[value, 1]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, depth] = next;
    if (typeof node !== "object" || node === null) continue;
    if (depth > MAX_BODY_DEPTH) throw badRequest(`${what}: exceeded max depth of ${MAX_BODY_DEPTH} nested objects and arrays`);
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
}
