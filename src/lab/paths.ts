import os from "node:os";
import path from "node:path";

/** Where `recover lab` keeps a lab when no --dir is given: $XDG_STATE_HOME/recover/lab (~/.local/state/recover/lab). */
export function defaultLabDir(env: NodeJS.ProcessEnv = process.env): string {
  const state =
    env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : path.join(env.HOME || os.homedir(), ".local", "state");
  return path.join(state, "recover", "lab");
}

export function resolveLabDir(dir: string | undefined): string {
  return path.resolve(dir ?? defaultLabDir());
}
