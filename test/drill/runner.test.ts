// The drill runner's own logic with its ports scripted (the lab, the recover process, the probes'
// transports): faults fire at their moments, follow-ups run, probes give Pass/Fail/Awaited, and the
// reports say so. The real thing — a lab, recover, kubectl, ssh — is `recover drill` (docs/drills.md).
import { describe, expect, it } from "vitest";
import { renderJUnit } from "../../src/drill/junit.js";
import { checkScenarioText, type LoadedScenario } from "../../src/drill/load.js";
import type { DrillPorts, RecoverProcess } from "../../src/drill/ports.js";
import { runDrill } from "../../src/drill/runner.js";
import type { Transport } from "../../src/transports/types.js";

function scenario(text: string): LoadedScenario {
  const { scenario: loaded, diagnostics } = checkScenarioText(
    "s.yaml",
    `apiVersion: recover/v1\nkind: Drill\nmetadata: {name: s}\nsummary: a drill\n${text}`,
  );
  if (!loaded) throw new Error(JSON.stringify(diagnostics));
  return loaded;
}

/** A transport answering every command with `stdout`. */
const answering = (stdout: () => string, log: string[]): Transport => ({
  kind: "kubectl",
  name: "t",
  close: async () => {},
  exec: async (request) => {
    log.push("argv" in request.command ? request.command.argv.join(" ") : request.command.script);
    return { exitCode: 0, signal: null, stdout: stdout(), stderr: "", truncated: false, durationMs: 1 };
  },
});

interface Script {
  /** Events each invocation emits, in order; a kill stops the emission. */
  runs: Record<string, unknown>[][];
  exitCodes: number[];
}

function ports(script: Script, state: { suspended: boolean }) {
  const log: string[] = [];
  let clock = 1_000;
  let invocation = 0;
  const p: DrillPorts = {
    lab: async () => ({
      lab: {
        context: { dir: "/lab", gitops: "/lab/k3s-flux", inventory: "", sshConfig: "", kubeconfig: "", stateDir: "", env: {} },
        inject: async (kind, target) => {
          log.push(`inject ${kind} ${target ?? ""}`.trim());
          return `${kind} ${target ?? ""}`.trim();
        },
        clearFaults: async () => void log.push("clear"),
        freshFromGit: async () => {
          log.push("fresh from git");
        },
      },
      release: async () => {
        log.push("release");
        return "/reports/s-gitops.git";
      },
    }),
    transports: () => {
      const t = answering(() => JSON.stringify({ suspended: state.suspended }), log);
      return { kubectl: () => t, ssh: () => t, local: () => t };
    },
    recover: (_lab, argv, onEvent): RecoverProcess => {
      const n = invocation++;
      log.push(`recover ${argv.join(" ")}`);
      let killed = false;
      const done = (async () => {
        for (const event of script.runs[n] ?? []) {
          if (killed) break;
          clock += 100;
          onEvent(event);
          await Promise.resolve();
        }
        return { code: killed ? 137 : (script.exitCodes[n] ?? 0), stderr: "" };
      })();
      return {
        kill: () => {
          killed = true;
          log.push("kill");
        },
        done,
      };
    },
    now: () => clock,
    sleep: async (ms, signal) => {
      clock += ms;
      if (signal?.aborted) throw new Error("aborted");
      await new Promise((r) => setTimeout(r, 1));
    },
    say: () => {},
  };
  return { ports: p, log };
}

const stage = (id: string, state = "done") => ({ type: "stage", stage: id, state, durationMs: 50 });
const step = (id: string, state: string, extra: Record<string, unknown> = {}) => ({ type: "step", step: id, stage: "s1", state, ...extra });

describe("runDrill", () => {
  it("fires a fault when its step starts, kills at a stage boundary, resumes, and judges exit codes, output and probes", async () => {
    const s = scenario(`args: [k3s1]
faults:
  - {fault: disk-busy, target: k3s1/sdg1, at: {step: wipe}}
  - {fault: kill, at: {stage: s1}}
expect: {exitCode: 137}
after:
  - run: resume
    expect: {exitCode: 0, output: ["all done"]}
probes:
  - {name: suspended at the start, mode: start, kubectl: [get, x], expect: "result.json.suspended == false"}
  - {name: resumed at the end, kubectl: [get, x], expect: "result.json.suspended == false"}
`);
    const state = { suspended: false };
    const { ports: p, log } = ports(
      {
        runs: [
          [
            step("wipe", "running", { attempt: 0 }),
            step("wipe", "running", { attempt: 1 }),
            step("wipe", "succeeded", { durationMs: 30 }),
            stage("s1"),
            stage("s2", "running"),
          ],
          [
            step("mount", "running", { attempt: 1 }),
            { type: "output", step: "mount", stream: "stdout", text: "all done\n" },
            step("mount", "succeeded"),
            stage("s2"),
          ],
        ],
        exitCodes: [0, 0],
      },
      state,
    );
    const report = await runDrill(s, { runbook: "longhorn-node", args: [], params: [] }, p);
    // The fault fired on the step's first attempt, not while its checks ran.
    expect(
      log.filter((l) => l.startsWith("inject") || l === "kill" || l.startsWith("recover") || l === "clear" || l === "release"),
    ).toEqual(["recover longhorn-node k3s1", "inject disk-busy k3s1/sdg1", "kill", "clear", "recover resume", "release"]);
    expect(report.invocations.map((i) => [i.label, i.exitCode, i.verdict])).toEqual([
      ["run", 137, "Pass"],
      ["resume", 0, "Pass"],
    ]);
    expect(report.invocations[0]?.steps[0]).toMatchObject({ step: "wipe", state: "succeeded", durationMs: 30, attempts: 1 });
    expect(report.faults.map((f) => [f.fault, f.when, f.firedAt !== undefined])).toEqual([
      ["disk-busy", "when step wipe starts", true],
      ["kill", "after stage s1", true],
    ]);
    expect(report.probes.map((x) => [x.name, x.verdict])).toEqual([
      ["suspended at the start", "Pass"],
      ["resumed at the end", "Pass"],
    ]);
    expect(report).toMatchObject({ verdict: "Pass", gitops: "/reports/s-gitops.git" });
  });

  it("injects a setup fault before the setup commands after it (a finalizer held before the delete)", async () => {
    const s = scenario(`args: [nodes, k3s2]
setup:
  - {fault: finalizer-returns, target: k3s2}
  - {kubectl: [delete, nodes.longhorn.io, k3s2]}
`);
    const { ports: p, log } = ports({ runs: [[stage("s1")]], exitCodes: [0] }, { suspended: false });
    const report = await runDrill(s, { runbook: "stuck-finalizers", args: [], params: [] }, p);
    expect(log.slice(0, 3)).toEqual([
      "inject finalizer-returns k3s2",
      "delete nodes.longhorn.io k3s2",
      "recover stuck-finalizers nodes k3s2",
    ]);
    expect(report.verdict).toBe("Pass");
  });

  it("resumes from Git on a fresh clone: the run id the lab finds there is the one resumed", async () => {
    const s = scenario(`args: [k3s1]
faults:
  - {fault: kill, at: {stage: s1}}
expect: {exitCode: 137}
after:
  - run: resume-from-git
`);
    const { ports: p, log } = ports(
      {
        runs: [[step("a", "succeeded"), stage("s1"), stage("s2", "running"), step("b", "running"), step("b", "succeeded")], [stage("s2")]],
        exitCodes: [0, 0],
      },
      { suspended: false },
    );
    const report = await runDrill(s, { runbook: "longhorn-node", args: [], params: [] }, p);
    expect(log.filter((l) => l.startsWith("recover") || l === "kill" || l === "fresh from git")).toEqual([
      "recover longhorn-node k3s1",
      "kill",
      "fresh from git",
      "recover resume --from-git",
    ]);
    expect(report.invocations.map((i) => [i.label, i.exitCode, i.verdict])).toEqual([
      ["run", 137, "Pass"],
      ["resume-from-git", 0, "Pass"],
    ]);
  });

  it("fails the drill when the run ends otherwise than expected or says nothing of what to do, and when a probe does not hold", async () => {
    const s = scenario(`args: [k3s1]
expect: {exitCode: 1, output: ["recover resume"]}
probes:
  - {name: flux back, kubectl: [get, x], expect: "result.json.suspended == false"}
  - {name: never evaluated, mode: continuous, interval: 1h, ssh: {node: k3s1, sh: "true"}, expect: "true"}
`);
    const { ports: p } = ports({ runs: [[stage("s1", "failed")]], exitCodes: [1] }, { suspended: true });
    const report = await runDrill(s, { runbook: "longhorn-node", args: [], params: [] }, p);
    expect(report.invocations[0]).toMatchObject({ verdict: "Fail", missingOutput: ["recover resume"] });
    expect(report.probes.find((x) => x.name === "flux back")).toMatchObject({ verdict: "Fail", evaluations: 1 });
    expect(report.verdict).toBe("Fail");
    const xml = renderJUnit([report]);
    expect(xml).toContain('<testcase classname="s.run" name="exit 1 expected"');
    expect(xml).toContain('<failure message="exit 1; missing output: recover resume"/>');
    expect(xml).toContain('<testcase classname="s.run.stage" name="s1" time="0.050">');
    expect(xml).toContain('<testcase classname="s.probe.end" name="flux back" time="0.000">');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="recover drill" tests="\d+" failures="3"/);
  });

  it("reports a drill whose lab did not come up as failed, saying why", async () => {
    const s = scenario("args: [k3s1]\n");
    const { ports: p } = ports({ runs: [], exitCodes: [] }, { suspended: false });
    p.lab = async () => {
      throw new Error("recover lab up needs root");
    };
    const report = await runDrill(s, { runbook: "longhorn-node", args: [], params: [] }, p);
    expect(report).toMatchObject({ verdict: "Fail", error: "the lab did not come up: recover lab up needs root" });
    expect(renderJUnit([report])).toContain('<failure message="the lab did not come up: recover lab up needs root"/>');
  });
});
