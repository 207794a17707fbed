import { createHash } from "node:crypto";
import type { Plan } from "../plan/types.js";

/** Identifies a plan: the same runbook, inventory and params give the same hash. */
export function planHash(plan: Plan): string {
  return createHash("sha256").update(JSON.stringify(plan)).digest("hex").slice(0, 16);
}
