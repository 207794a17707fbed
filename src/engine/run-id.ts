import { randomBytes } from "node:crypto";

/** A sortable run id: UTC time to the second, then randomness (20261203-141502-3f9a1c). */
export function newRunId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return `${t}-${randomBytes(3).toString("hex")}`;
}
