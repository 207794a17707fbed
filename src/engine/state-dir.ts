import { homedir } from "node:os";
import { join } from "node:path";

/** Where runs and locks live: --state-dir, else $XDG_STATE_HOME/recover, else ~/.local/state/recover. */
export function stateDir(option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option) return option;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, "recover");
  return join(env.HOME ?? homedir(), ".local", "state", "recover");
}

export const runsDir = (state: string): string => join(state, "runs");
export const journalPath = (state: string, runId: string): string => join(state, "runs", runId, "journal.jsonl");
export const locksDir = (state: string): string => join(state, "locks");
