import { confirm, input } from "@inquirer/prompts";
import type { ConfirmRequest, EnginePrompter, StepAnswer } from "../engine/ports.js";
import type { Plan } from "../plan/types.js";
import { describeTarget } from "../preview/describe.js";
import { commandLines } from "../report/command-lines.js";
import type { LiveView } from "../report/live.js";
import { AbortedError } from "../transports/errors.js";

const STEP_ANSWERS: Record<string, StepAnswer> = { y: "yes", yes: "yes", n: "no", no: "no", a: "all", all: "all", q: "quit", quit: "quit" };

/**
 * The operator's answers on the terminal (inquirer on stderr, one question at a time). Undefined
 * without a terminal: the engine then refuses what would need asking before anything runs.
 */
export function terminalEnginePrompter(plan: Plan, live?: LiveView): EnginePrompter | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const io = { input: process.stdin, output: process.stderr };
  let queue: Promise<unknown> = Promise.resolve();
  const one = <T>(ask: () => Promise<T>): Promise<T> => {
    const asked = queue.then(ask).catch((error: unknown) => {
      if (error instanceof Error && error.name === "ExitPromptError")
        throw new AbortedError("cancelled at the prompt", { target: "local" });
      throw error;
    });
    queue = asked.catch(() => undefined);
    return asked;
  };
  return {
    confirm: (request) =>
      one(async () => {
        const message = `Type "${request.word}" to run ${request.step} (anything else refuses):`;
        if (live) {
          live.note(request.step, blastRadius(plan, request).trim());
          const typed = await live.ask(request.step, (prompt) => prompt.run(input, { message }));
          if (typed !== undefined) return String(typed);
        }
        process.stderr.write(blastRadius(plan, request));
        return input({ message }, io);
      }),
    step: (step) =>
      one(async () => {
        const command = commandLines(plan, step.action, step.target).join("\n    ");
        const answer = await input(
          {
            message: `${step.id}: ${command}\n  run it? [y]es [n]o (skip) [a]ll (stop asking) [q]uit:`,
            validate: (v) => v.trim().toLowerCase() in STEP_ANSWERS || "answer y, n, a or q",
          },
          io,
        );
        return STEP_ANSWERS[answer.trim().toLowerCase()] ?? "quit";
      }),
    manual: (step) => one(() => confirm({ message: `${step.id}: ${step.message}\n  Done?`, default: false }, io)),
  };
}

/** What a destructive step will hit, shown before asking: target, the resolved command, impact, what is there now. */
export function blastRadius(plan: Plan, request: ConfirmRequest): string {
  const target = request.target ? describeTarget(plan.targets[request.target]) : "this machine";
  const lines = [
    "",
    `DESTRUCTIVE  ${request.step} — ${request.title}`,
    `  target   ${target}`,
    ...commandLines(plan, request.action, request.target).map((l, i) => `  ${i === 0 ? "command " : "        "} ${l}`),
  ];
  if (request.impact) lines.push(`  impact   ${request.impact}`);
  if (request.live) lines.push("  now      (read live just now)", ...request.live.split("\n").map((l) => `           ${l}`));
  return `${lines.join("\n")}\n`;
}
