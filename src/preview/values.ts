import type { KnownValue, Plan } from "../plan/types.js";

/**
 * One value an expression reads, for the reviewer: `disk.serial = "WD-…" (inventory disk sdf1)`,
 * `disk.size = 500107862016 bytes (465.8 GiB)`, or what makes it a run-time value.
 */
export function describeKnown(known: KnownValue, plan: Plan): string {
  if (known.runtime === "capture") {
    const name = /^captures\.(\w+)/.exec(known.path)?.[1];
    const by = plan.stages.flatMap((s) => s.steps).find((s) => s.capture?.as === name);
    return `${known.path}: captured${by ? ` by step ${by.id}` : ""}, known at run time`;
  }
  if (known.runtime === "secret") return `${known.path}: a secret param, given at run time and never shown`;
  if (known.runtime === "result") return `${known.path}: read from a probe's result at run time`;
  const from = known.source ? ` (${known.source})` : "";
  if (known.missing) return `${known.path} is not set${from}`;
  return `${known.path} = ${describeValue(known.path, known.value)}${from}`;
}

/** A value in a line: strings quoted (so spaces show), sizes in bytes also in GiB, lists and maps summarised. */
export function describeValue(path: string, value: unknown): string {
  if (typeof value === "number" && /(^|\.)size$/i.test(path)) return `${value} bytes (${formatBytes(value)})`;
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) {
    const names = value.map((v) =>
      v && typeof v === "object" && typeof (v as { name?: unknown }).name === "string" ? (v as { name: string }).name : undefined,
    );
    if (names.every((n) => n !== undefined))
      return `${value.length} item${value.length === 1 ? "" : "s"}${value.length ? `: ${names.join(", ")}` : ""}`;
    return JSON.stringify(value);
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    return keys.length <= 6 && JSON.stringify(value).length <= 80 ? JSON.stringify(value) : `a map of ${keys.length}: ${keys.join(", ")}`;
  }
  return String(value);
}

/** 500107862016 → "465.8 GiB" (binary units, as lsblk shows them). */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
