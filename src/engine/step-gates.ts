import type { PlannedAction, PlannedStage, PlannedStep } from "../plan/types.js";
import { execOn, tail } from "./exec.js";
import { liveReadFor } from "./live-read.js";
import type { StepAnswer } from "./ports.js";
import type { Run } from "./run.js";

// The operator's gates before a step; each returns why it refused, or undefined to go ahead.

/** --step: asks before every step until the operator answers "all". */
export async function gateStep(run: Run, step: PlannedStep): Promise<StepAnswer> {
  if (!run.options.stepMode || run.stepAll) return "yes";
  const prompter = run.deps.prompter;
  if (!prompter) return "quit";
  await run.settle();
  const answer = await prompter.step({
    id: step.id,
    title: step.title,
    ...(step.target ? { target: step.target } : {}),
    action: step.action,
  });
  run.emit({ type: "prompt", step: step.id, kind: "step", answer });
  if (answer === "all") run.stepAll = true;
  return answer;
}

/** A destructive step: show the blast radius, read live what it will hit, and have the operator type the word. */
export async function confirmStep(run: Run, step: PlannedStep, action: PlannedAction, signal: AbortSignal): Promise<string | undefined> {
  const word = step.destructive?.confirm ?? step.id;
  if (run.options.yes) {
    run.emit({ type: "prompt", step: step.id, kind: "confirm", answer: "confirmed by --yes" });
    return undefined;
  }
  const prompter = run.deps.prompter;
  if (!prompter) return `${step.id} is destructive and there is no terminal to confirm it (pass --yes to confirm unattended)`;
  const live = await readLive(run, step, action, signal);
  await run.settle();
  const typed = await prompter.confirm({
    step: step.id,
    title: step.title,
    ...(step.target ? { target: step.target } : {}),
    action,
    ...(step.destructive?.impact ? { impact: step.destructive.impact } : {}),
    ...(live ? { live } : {}),
    word,
  });
  const confirmed = typed.trim() === word;
  run.emit({ type: "prompt", step: step.id, kind: "confirm", answer: confirmed ? "confirmed" : "refused" });
  return confirmed ? undefined : `the operator did not type "${word}"; ${step.id} was not run`;
}

/** What the engine reads live just before asking; a failing read is shown as such, never fatal. */
async function readLive(run: Run, step: PlannedStep, action: PlannedAction, signal: AbortSignal): Promise<string | undefined> {
  const probe = liveReadFor(action);
  if (!probe) return undefined;
  try {
    const result = await execOn(run, probe, step.target, { step: step.id, readOnly: true, timeoutMs: 15_000, signal });
    return tail(`${result.stdout}${result.stderr}`.trim(), 4_000);
  } catch (error) {
    return `could not read it live: ${(error as Error).message}`;
  }
}

/** A `prompt` step: the operator does something by hand and says so. --yes alone does not answer it. */
export async function manualStep(run: Run, step: PlannedStep, message: string): Promise<string | undefined> {
  if (run.options.yes) {
    if (!run.options.yesPrompts)
      return `${step.id} asks the operator to act by hand, and --yes does not answer that: pass --yes-prompts too for a drill`;
    run.emit({ type: "prompt", step: step.id, kind: "manual", answer: "answered by --yes-prompts" });
    return undefined;
  }
  const prompter = run.deps.prompter;
  if (!prompter) return `${step.id} asks the operator to act by hand and there is no terminal`;
  await run.settle();
  const done = await prompter.manual({ id: step.id, message });
  run.emit({ type: "prompt", step: step.id, kind: "manual", answer: done ? "done" : "refused" });
  return done ? undefined : `the operator did not confirm "${message}"`;
}

/** Resume: a mutating step without skipIf that was running may have run; only the operator can say to run it again. */
export async function reenterGate(run: Run, stage: PlannedStage, step: PlannedStep): Promise<string | undefined> {
  const why = `${step.id} (stage ${stage.id}) was running when the run stopped and has no skipIf to tell whether it finished`;
  if (run.options.yes) return `${why}: --yes does not decide that; check the host, then resume without --yes`;
  const prompter = run.deps.prompter;
  if (!prompter) return `${why}; resume on a terminal to decide`;
  await run.settle();
  const typed = await prompter.confirm({
    step: step.id,
    title: `${step.title} — it may already have run: type its id to run it again`,
    ...(step.target ? { target: step.target } : {}),
    action: step.action,
    impact: why,
    word: step.id,
  });
  const again = typed.trim() === step.id;
  run.emit({ type: "prompt", step: step.id, kind: "confirm", answer: again ? "run again" : "refused" });
  return again ? undefined : `${why}; the operator did not ask to run it again`;
}
