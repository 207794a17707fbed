/** Flux's source-controller skips what `.sourceignore` lists: recover's journals never reach the cluster. */

export const SOURCEIGNORE = ".sourceignore";
export const RECOVER_DIR = ".recover";

const IGNORES_RECOVER = new Set([
  ".recover",
  ".recover/",
  "/.recover",
  "/.recover/",
  ".recover/*",
  "/.recover/*",
  ".recover/**",
  "/.recover/**",
]);

/** `.sourceignore`'s text with `.recover/` added, or undefined when it already ignores it. */
export function withRecoverIgnored(text: string | undefined): string | undefined {
  if (text?.split(/\r?\n/).some((line) => IGNORES_RECOVER.has(line.trim()))) return undefined;
  const head = text === undefined || text === "" || text.endsWith("\n") ? (text ?? "") : `${text}\n`;
  return `${head}# recover's run journals (checkpoints), never applied to the cluster\n${RECOVER_DIR}/\n`;
}

/** Where a run's journal snapshot lives in the checkout. */
export function journalPath(runId: string): string {
  return `${RECOVER_DIR}/runs/${runId}/journal.jsonl`;
}

/** A run id that is safe as one path segment and one trailer value. */
export function isSafeRunId(runId: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(runId) && !runId.includes("..");
}
