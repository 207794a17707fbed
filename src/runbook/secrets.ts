/** True when the params an expression reads include a secret (reading params as a whole counts). */
export function readsSecret(read: ReadonlySet<string>, secrets: ReadonlySet<string>): boolean {
  if (read.has("*")) return secrets.size > 0;
  for (const name of read) if (secrets.has(name)) return true;
  return false;
}
