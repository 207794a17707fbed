/**
 * One drill: a lab (brought up, or the operator's), start probes, the scenario's faults at their
 * moments, the runbook run unattended as a real recover process, the follow-ups (resume, run
 * again), end probes, the lab torn down — and a report whose verdict says whether the recovery
 * ended recovered or stopped safely as the scenario expects, never half-done silently.
 */
import { parseDuration } from "../runbook/duration.js";
import type { LoadedScenario } from "./load.js";
import type { DrillLab, DrillPorts, ProbeTransports } from "./ports.js";
import { observe, type ProbeObservation } from "./probe.js";
import { type DrillReport, type FaultReport, type InvocationReport, overall, type ProbeReport, type Verdict } from "./report.js";
import type { FaultSpec, InvocationExpect, ProbeSpec, SetupCommand } from "./scenario.js";
import { Timeline } from "./timeline.js";
import { describeTrigger, firedBy } from "./triggers.js";

export interface DrillRequest {
  runbook: string;
  args: string[];
  params: string[];
}

const KEEP_FAILURES = 5;

/** Evaluations of one probe, folded into its verdict. */
class ProbeLog {
  evaluations = 0;
  failures: ProbeObservation[] = [];
  last?: ProbeObservation;
  constructor(readonly spec: ProbeSpec) {}
  add(o: ProbeObservation): void {
    this.evaluations++;
    this.last = o;
    if (!o.holds && this.failures.length < KEEP_FAILURES) this.failures.push(o);
  }
  report(): ProbeReport {
    const verdict: Verdict = this.evaluations === 0 ? "Awaited" : this.failures.length > 0 ? "Fail" : "Pass";
    return {
      name: this.spec.name,
      mode: this.spec.mode,
      verdict,
      evaluations: this.evaluations,
      failures: this.failures,
      ...(this.last ? { last: this.last } : {}),
    };
  }
}

export async function runDrill(loaded: LoadedScenario, request: DrillRequest, ports: DrillPorts): Promise<DrillReport> {
  const { scenario } = loaded;
  const t0 = ports.now();
  const args = request.args.length > 0 ? request.args : (scenario.args ?? []);
  const params = [...scenario.params, ...request.params].flatMap((p) => ["--param", p]);
  const faults: FaultReport[] = scenario.faults.map((f) => ({
    fault: f.fault,
    ...(f.target !== undefined ? { target: f.target } : {}),
    when: describeTrigger(f.at),
  }));
  const probes = scenario.probes.map((p) => new ProbeLog(p));
  const invocations: InvocationReport[] = [];
  const base = {
    drill: scenario.metadata.name,
    file: loaded.file,
    summary: scenario.summary,
    runbook: request.runbook,
    args,
    startedAt: new Date(t0).toISOString(),
  };
  ports.say(`drill ${scenario.metadata.name}: ${scenario.summary}`);
  let up: Awaited<ReturnType<DrillPorts["lab"]>>;
  try {
    up = await ports.lab(scenario.lab);
  } catch (error) {
    const message = `the lab did not come up: ${(error as Error).message}`;
    ports.say(`drill ${scenario.metadata.name}: ${message}`);
    return {
      ...base,
      lab: { dir: "", built: false },
      durationMs: ports.now() - t0,
      faults,
      invocations,
      probes: probes.map((p) => p.report()),
      verdict: "Fail",
      error: message,
    };
  }
  const { lab } = up;
  let gitops: string | undefined;
  let error: string | undefined;
  const continuous = new AbortController();
  let polling: Promise<void> = Promise.resolve();
  const transports = ports.transports(lab);
  const observeAll = async (mode: ProbeSpec["mode"]) => {
    for (const p of probes.filter((x) => x.spec.mode === mode)) p.add(await observe(p.spec, transports, ports.now));
  };
  const fire = async (reports: FaultReport[], index: number, spec: FaultSpec, kill: () => void) => {
    const report = reports[index] as FaultReport;
    report.firedAt = ports.now() - t0;
    try {
      if (spec.fault === "kill") {
        kill();
        report.description = "kill -9 of the recover process";
      } else if (spec.fault === "clear") {
        await lab.clearFaults();
        report.description = "every lab fault taken back";
      } else report.description = await lab.inject(spec.fault, spec.target);
      ports.say(`  fault: ${report.description} (${report.when})`);
    } catch (error) {
      report.error = (error as Error).message;
      ports.say(`  fault ${spec.fault} could not be injected: ${report.error}`);
    }
  };
  try {
    for (const command of scenario.setup) await setup(command, transports, ports, lab);
    await observeAll("start");
    for (const [i, f] of scenario.faults.entries()) if (f.at === "start") await fire(faults, i, f, () => {});
    polling = pollContinuous(
      probes.filter((p) => p.spec.mode === "continuous"),
      transports,
      ports,
      continuous.signal,
    );
    const run = [request.runbook, ...args, ...params];
    invocations.push(
      await invoke("run", run, scenario.expect, {
        lab,
        ports,
        t0,
        faults: scenario.faults,
        fire: (i, f, kill) => fire(faults, i, f, kill),
      }),
    );
    for (const next of scenario.after) {
      if (next.clearFaults) await lab.clearFaults().catch((e: Error) => ports.say(`  could not clear the lab's faults: ${e.message}`));
      const own: FaultReport[] = next.faults.map((f) => ({
        fault: f.fault,
        ...(f.target !== undefined ? { target: f.target } : {}),
        when: `${describeTrigger(f.at)} (${next.run})`,
      }));
      faults.push(...own);
      if (next.run === "resume-from-git") await lab.freshFromGit();
      const argv = next.run === "resume" ? ["resume"] : next.run === "resume-from-git" ? ["resume", "--from-git"] : run;
      invocations.push(
        await invoke(next.run, argv, next.expect, {
          lab,
          ports,
          t0,
          faults: next.faults,
          fire: (i, f, kill) => fire(own, i, f, kill),
        }),
      );
    }
    continuous.abort();
    await polling;
    await observeAll("end");
  } catch (e) {
    error = (e as Error).message;
    ports.say(`drill ${scenario.metadata.name}: ${error}`);
  } finally {
    continuous.abort();
    await polling;
    gitops = await up.release().catch((error: Error) => {
      ports.say(`  the lab could not be torn down: ${error.message}`);
      return undefined;
    });
  }
  const probeReports = probes.map((p) => p.report());
  const verdict = error ? "Fail" : overall([...invocations, ...probeReports]);
  ports.say(`drill ${scenario.metadata.name}: ${verdict}`);
  return {
    ...base,
    lab: { dir: lab.context.dir, built: true },
    durationMs: ports.now() - t0,
    faults,
    invocations,
    probes: probeReports,
    ...(gitops ? { gitops } : {}),
    verdict,
    ...(error ? { error } : {}),
  };
}

interface InvokeContext {
  lab: DrillLab;
  ports: DrillPorts;
  t0: number;
  /** The scenario's faults, fired on this invocation's events (the first run only). */
  faults?: FaultSpec[];
  fire?: (index: number, spec: FaultSpec, kill: () => void) => Promise<void>;
}

async function invoke(label: string, argv: string[], expected: InvocationExpect, ctx: InvokeContext): Promise<InvocationReport> {
  const { ports, lab, t0 } = ctx;
  const started = ports.now();
  const timeline = new Timeline(t0);
  const fired = new Set<number>(ctx.faults?.flatMap((f, i) => (f.at === "start" ? [i] : [])) ?? []);
  const pending: Promise<void>[] = [];
  const timers = new AbortController();
  ports.say(`  recover ${argv.join(" ")}`);
  const process = ports.recover(lab, argv, (event) => {
    timeline.add(event, ports.now());
    progress(event, ports);
    if (!ctx.faults || !ctx.fire) return;
    for (const i of firedBy(ctx.faults, event as never, fired)) {
      fired.add(i);
      pending.push(ctx.fire(i, ctx.faults[i] as FaultSpec, () => process.kill()));
    }
  });
  for (const [i, f] of (ctx.faults ?? []).entries()) {
    if (typeof f.at === "object" && "seconds" in f.at && ctx.fire) {
      const fire = ctx.fire;
      const seconds = f.at.seconds;
      pending.push(
        ports.sleep(seconds * 1000, timers.signal).then(
          async () => {
            if (fired.has(i)) return;
            fired.add(i);
            await fire(i, f, () => process.kill());
          },
          () => undefined,
        ),
      );
    }
  }
  const done = await process.done;
  timers.abort();
  await Promise.all(pending);
  const exitCode = done.code;
  const text = timeline.text(done.stderr);
  const missingOutput = expected.output.filter((t) => !text.includes(t));
  const verdict: Verdict = exitCode === expected.exitCode && missingOutput.length === 0 ? "Pass" : "Fail";
  ports.say(
    `  exit ${exitCode} (expected ${expected.exitCode})${missingOutput.length ? `; the output lacks: ${missingOutput.join(" | ")}` : ""}`,
  );
  return {
    label,
    args: argv,
    expected,
    exitCode,
    ...(timeline.finished?.outcome ? { outcome: timeline.finished.outcome } : {}),
    ...(timeline.finished?.reason ? { reason: timeline.finished.reason } : {}),
    startedAt: started - t0,
    durationMs: ports.now() - started,
    stages: timeline.stageTimings(),
    steps: timeline.stepTimings(),
    missingOutput,
    verdict,
  };
}

/** A setup command; one that fails stops the drill before anything else (its state is not the one the scenario needs). */
async function setup(command: SetupCommand, transports: ProbeTransports, ports: DrillPorts, lab: DrillLab): Promise<void> {
  if (command.fault !== undefined) {
    ports.say(`  setup: fault ${await lab.inject(command.fault, command.target)}`);
    return;
  }
  const transport = command.kubectl ? transports.kubectl() : transports.ssh(command.ssh?.node as string);
  const result = await transport.exec({
    command: command.kubectl ? { argv: command.kubectl } : { script: command.ssh?.sh as string },
    ...(command.input !== undefined ? { stdin: command.input } : {}),
    timeoutMs: 60_000,
    step: "setup",
  });
  const what = command.kubectl ? `kubectl ${command.kubectl.join(" ")}` : `ssh ${command.ssh?.node}: ${command.ssh?.sh}`;
  if (result.exitCode !== 0) throw new Error(`setup failed (exit ${result.exitCode}): ${what}: ${result.stderr.trim()}`);
  ports.say(`  setup: ${what.split("\n")[0]}`);
}

/** One line per stage and per finished step, so an operator watching a drill sees it move. */
function progress(event: Record<string, unknown>, ports: DrillPorts): void {
  if (event.type === "stage" && event.state !== "running") ports.say(`    stage ${event.stage}: ${event.state}`);
  if (event.type === "step" && ["succeeded", "failed", "skipped"].includes(String(event.state))) {
    const mark = event.state === "succeeded" ? "✓" : event.state === "failed" ? "✗" : "↷";
    const reason = event.state === "failed" && typeof event.reason === "string" ? `: ${event.reason.split("\n")[0]}` : "";
    ports.say(`      ${mark} ${event.step}${reason}`);
  }
}

async function pollContinuous(logs: ProbeLog[], transports: ProbeTransports, ports: DrillPorts, signal: AbortSignal): Promise<void> {
  await Promise.all(
    logs.map(async (log) => {
      const every = log.spec.interval ? parseDuration(log.spec.interval) : 2000;
      while (!signal.aborted) {
        log.add(await observe(log.spec, transports, ports.now));
        await ports.sleep(every, signal).catch(() => undefined);
      }
    }),
  );
}
