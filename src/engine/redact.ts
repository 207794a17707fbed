/** Shown instead of a secret value. */
export const REDACTED = "<secret>";

/**
 * Replaces every secret value in strings, deeply (events, journal records). Made once from the
 * run's secret params; applied where events are made, so no listener ever sees a secret.
 */
export function redactor(secrets: readonly string[]): <T>(value: T) => T {
  const values = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (values.length === 0) return (value) => value;
  const text = (s: string): string => {
    let out = s;
    for (const v of values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  };
  const walk = (value: unknown): unknown => {
    if (typeof value === "string") return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  return walk as <T>(value: T) => T;
}

/** True when a resolved text holds a secret (then a script goes on stdin, never in a process list). */
export const holdsSecret = (text: string, secrets: readonly string[]): boolean => secrets.some((s) => s.length > 0 && text.includes(s));
