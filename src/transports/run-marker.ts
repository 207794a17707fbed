import { randomBytes } from "node:crypto";

/**
 * The environment variable naming a command's processes: every process a command starts carries
 * RECOVER_RUN=<marker>, even one that left its process group (`setsid`). A process group id can
 * belong to anything once its processes are gone (the host rebooted, pids wrapped); the marker
 * is what tells a command's processes from a stranger's.
 */
export const RUN_MARKER = "RECOVER_RUN";

/** A marker value: `r` and 16 hex digits (a letter first, so a word of a scan's output is never taken for a pid). */
export const isMarker = (value: string): boolean => /^r[0-9a-f]{16}$/.test(value);

/** A fresh marker for one command, or for every attempt of one step. */
export const newRunMarker = (): string => `r${randomBytes(8).toString("hex")}`;
