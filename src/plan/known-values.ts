import { ResolveError, type Resolver } from "./resolve.js";
import type { KnownValue } from "./types.js";

/**
 * Every member chain an expression reads, resolved with what the plan knows (params, inventory,
 * foreach items) or marked as a run-time value: a capture or a secret param. A check's `result` is
 * left out: every check reads its probe's result, and the preview says so once.
 */
export function knownValues(expression: string, r: Resolver): KnownValue[] {
  const out: KnownValue[] = [];
  for (const { text, root } of r.paths(expression)) {
    if (root === "result") continue;
    if (root === "captures") {
      out.push({ path: text, runtime: "capture" });
      continue;
    }
    if (r.isDeferred(text)) {
      const roots = new Set(r.paths(text).map((p) => p.root));
      out.push({ path: text, runtime: roots.has("captures") ? "capture" : roots.has("result") ? "result" : "secret" });
      continue;
    }
    const source = r.sourceOf(root);
    try {
      out.push({ path: text, source, value: r.value(text) });
    } catch (error) {
      if (!(error instanceof ResolveError)) throw error;
      // An optional field left out (`has(disk.serial)` is how runbooks test for it): the reviewer must see it is unset.
      out.push({ path: text, source, missing: true });
    }
  }
  return out;
}

/** Where a foreach item comes from, e.g. "inventory disk sdf1" for `disk` over `inventory.nodes[…].disks`. */
export function itemSource(r: Resolver, foreachIn: string, as: string, key: string): string {
  const root = r.paths(foreachIn)[0]?.root;
  return `${root === undefined ? "" : `${r.sourceOf(root)} `}${as} ${key}`;
}
