import { execa } from "execa";

/** A host command of the lab failed; the message names the command and ends with its stderr. */
export class LabCommandError extends Error {
  constructor(
    readonly command: string[],
    readonly exitCode: number | undefined,
    readonly stderr: string,
  ) {
    super(
      `lab: ${command.join(" ")} exited ${exitCode ?? "by a signal"}${stderr.trim() ? `: ${stderr.trim().split("\n").slice(-5).join("\n")}` : ""}`,
    );
  }
}

/** Runs one host command with an argv (no shell), C locale; resolves with stdout, throws LabCommandError. */
export async function run(file: string, args: string[], options: { input?: string; timeoutMs?: number } = {}): Promise<string> {
  const result = await execa(file, args, {
    reject: false,
    env: { LC_ALL: "C", PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" },
    extendEnv: false,
    timeout: options.timeoutMs ?? 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: "ignore" }),
  });
  if (result.exitCode !== 0) throw new LabCommandError([file, ...args], result.exitCode, String(result.stderr));
  return String(result.stdout);
}
