const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Quotes one value for POSIX sh so it is always a single word, never code. */
export function shellQuote(value: string): string {
  if (value !== "" && SAFE.test(value)) return value;
  return `'${value.replaceAll("'", `'"'"'`)}'`;
}
