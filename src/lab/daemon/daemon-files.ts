import path from "node:path";
import { fileURLToPath } from "node:url";

/** The daemon's record in state.json. */
export const DAEMON_ID = "process:daemon";

export const controlSocketPath = (dir: string): string => path.join(dir, "control.sock");
export const daemonPidFile = (dir: string): string => path.join(dir, "daemon.pid");
export const labLogPath = (dir: string): string => path.join(dir, "lab.log");

/** The built daemon (dist/lab/daemon/main.js), whether this module runs from src/ (tests) or dist/. */
export const DAEMON_ENTRY = fileURLToPath(new URL("../../../dist/lab/daemon/main.js", import.meta.url));
