import { access, constants } from "node:fs/promises";
import path from "node:path";
import { MissingToolError } from "./errors.js";

/** What to tell an operator for each program recover runs locally. */
const INSTALL: Record<string, string> = {
  kubectl: "install kubectl (https://kubernetes.io/docs/tasks/tools/)",
  git: "install git (apt-get install git)",
  "ssh-agent": "install the OpenSSH client (apt-get install openssh-client)",
};

async function onPath(program: string, pathVariable: string): Promise<boolean> {
  for (const dir of pathVariable.split(path.delimiter)) {
    if (!dir) continue;
    try {
      await access(path.join(dir, program), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

/** Checks before a run that every program it needs is installed; one error lists all missing. */
export async function checkTools(programs: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const pathVariable = env.PATH ?? "";
  const missing: string[] = [];
  for (const program of programs) if (!(await onPath(program, pathVariable))) missing.push(program);
  if (missing.length === 0) return;
  const lines = missing.map((p) => `  ${p}: ${INSTALL[p] ?? `install ${p}`}`);
  throw new MissingToolError(
    `${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not installed (not found on PATH); nothing was run:\n${lines.join("\n")}`,
    { target: "local" },
  );
}
