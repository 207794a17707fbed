import { readFileSync } from "node:fs";
import { InputError } from "../errors.js";

const READ_HINTS: Record<string, string> = {
  runbook: "check the path; recover list shows the runbooks it can find",
  inventory: "check the path given to --inventory, or where --gitops points (it reads recover/inventory.yaml there)",
};

/** Reads a runbook or inventory as text; a missing or unreadable file is bad input with a hint. */
export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (error as Error).message;
    throw new InputError(`cannot read ${what} ${file}: ${reason}`, READ_HINTS[what] ?? "check the path");
  }
}
