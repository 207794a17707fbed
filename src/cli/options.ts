import { InputError } from "../errors.js";
import { durationPattern, parseDuration } from "../runbook/duration.js";

/** Commander reducer for repeatable options: `-f a -f b` → ["a", "b"]. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A duration flag, written as in runbooks ("15s", "2m"); bad input names the flag and the form. */
export function parseDurationFlag(flag: string, text: string): number {
  const ms = durationPattern.test(text) ? parseDuration(text) : 0;
  if (ms <= 0)
    throw new InputError(
      `${flag} ${JSON.stringify(text)} is not a duration`,
      `write it as runbooks do, e.g. ${flag} 15s (units: ms, s, m, h)`,
    );
  return ms;
}
