import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { renderJUnit } from "../../drill/junit.js";
import { loadScenarioFile, resolveScenarios, scenarioDirs } from "../../drill/load.js";
import type { DrillLab, DrillPorts } from "../../drill/ports.js";
import type { DrillReport } from "../../drill/report.js";
import { runDrill } from "../../drill/runner.js";
import { ExitCode } from "../../errors.js";
import { labDown } from "../../lab/down.js";
import { clearFaults, injectFault } from "../../lab/fault-client.js";
import { parseFault } from "../../lab/faults/lab-fault.js";
import { requireKubectl, requireRoot } from "../../lab/host/needs.js";
import { labRunContext } from "../../lab/run-context.js";
import { labUp } from "../../lab/up.js";
import { openTransport } from "../../transports/open.js";

/** Scenarios shipped with recover, beside src/ and dist/ alike. */
const PROJECT_DRILLS = fileURLToPath(new URL("../../../fixtures/drills/", import.meta.url));
const BIN = fileURLToPath(new URL("../../../bin/recover.js", import.meta.url));

export interface DrillOptions {
  scenario: string[];
  param: string[];
  lab?: string | boolean;
  junit?: string;
  json?: string;
  keep?: boolean;
  speed: string;
  reports?: string;
}

const stamp = () => new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").replace("T", "-");

/**
 * `recover drill RUNBOOK ARGS`: for each scenario (default: clean), a lab of its own (or --lab),
 * the faults, the runbook run unattended, follow-ups and probes, the lab down; JUnit and JSON
 * reports. Exit 0 when every drill passes, 1 when one does not.
 */
export async function drillCommand(runbook: string, args: string[], opts: DrillOptions): Promise<number> {
  const files = resolveScenarios(opts.scenario, scenarioDirs(runbook, PROJECT_DRILLS));
  const scenarios = files.map(loadScenarioFile);
  // A lab per scenario needs root: said once, before any report or lab (exit 2).
  if (opts.lab === undefined || opts.lab === false) requireRoot(["recover", "drill", runbook, ...args].join(" "));
  // The runs and their probes drive the lab's cluster with kubectl: said once too.
  requireKubectl();
  const reportsDir = path.resolve(
    opts.reports ??
      path.join(process.env.XDG_STATE_HOME ?? path.join(process.env.HOME ?? "/root", ".local", "state"), "recover", "drills", stamp()),
  );
  mkdirSync(reportsDir, { recursive: true });
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const reports: DrillReport[] = [];
  for (const loaded of scenarios) {
    const name = loaded.scenario.metadata.name;
    const ports = drillPorts({ opts, reportsDir, name, say });
    reports.push(await runDrill(loaded, { runbook, args, params: opts.param }, ports));
  }
  const json = path.resolve(opts.json ?? path.join(reportsDir, "report.json"));
  const junit = path.resolve(opts.junit ?? path.join(reportsDir, "junit.xml"));
  writeFileSync(json, `${JSON.stringify({ reports }, null, 2)}\n`);
  writeFileSync(junit, renderJUnit(reports));
  const passed = reports.filter((r) => r.verdict === "Pass").length;
  process.stdout.write(
    [
      `${passed} of ${reports.length} drills passed`,
      ...reports.map(
        (r) =>
          `  ${r.verdict.padEnd(7)} ${r.drill}  ${r.summary}${r.gitops ? `\n          Git checkpoints: git --git-dir ${r.gitops} log --oneline main` : ""}`,
      ),
      `  JSON report   ${json}`,
      `  JUnit report  ${junit}`,
      "",
    ].join("\n"),
  );
  return passed === reports.length ? ExitCode.Ok : ExitCode.Failed;
}

function drillPorts(input: { opts: DrillOptions; reportsDir: string; name: string; say: (line: string) => void }): DrillPorts {
  const { opts, reportsDir, name, say } = input;
  return {
    async lab(options) {
      if (opts.lab !== undefined && opts.lab !== false) {
        const context = await labRunContext(opts.lab === true ? undefined : opts.lab);
        return { lab: labHandle(context), release: async () => undefined };
      }
      const dir = path.join(reportsDir, `${name}-lab`);
      say(`  lab up in ${dir}`);
      await labUp({
        dir,
        ...(options.nodes ? { nodes: String(options.nodes) } : {}),
        ...(options.disks ? { disks: String(options.disks) } : {}),
        ...(options.version ? { version: options.version } : {}),
        speed: opts.speed,
        commandLine: ["recover", ...process.argv.slice(2)].join(" "),
        log: (line) => say(`    lab: ${line}`),
      });
      const context = await labRunContext(dir);
      return {
        lab: labHandle(context),
        release: async () => {
          // Keep the Git history the drill made (its checkpoint commits) before the lab goes.
          let kept: string | undefined;
          try {
            const remote = execFileSync("git", ["-C", context.gitops, "remote", "get-url", "origin"], { encoding: "utf8" }).trim();
            kept = path.join(reportsDir, `${name}-gitops.git`);
            cpSync(remote, kept, { recursive: true });
          } catch (error) {
            say(`  the lab's Git remote could not be kept: ${(error as Error).message}`);
          }
          if (opts.keep) say(`  lab kept in ${dir} (recover lab down --dir ${dir})`);
          else {
            const down = await labDown(dir);
            if (down.leftovers.length > 0) say(`  lab down left: ${down.leftovers.join("; ")}`);
          }
          return kept;
        },
      };
    },
    transports(lab) {
      const env = { ...process.env, ...lab.context.env } as NodeJS.ProcessEnv;
      for (const [k, v] of Object.entries(lab.context.env)) if (v === undefined) delete env[k];
      return {
        kubectl: () => openTransport({ kind: "kubectl", kubeconfig: lab.context.kubeconfig }, { env }),
        ssh: (node) => openTransport({ kind: "ssh", host: node, become: "sudo" }, { env, sshConfig: lab.context.sshConfig }),
        local: () => openTransport({ kind: "local" }, { env, cwd: lab.context.gitops }),
      };
    },
    recover(lab, argv, onEvent) {
      const child = spawn(process.execPath, [BIN, ...argv, "--lab", lab.context.dir, "--yes", "--yes-prompts", "--output", "json"], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NO_COLOR: "1" },
      });
      let buffer = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        buffer += chunk;
        let nl = buffer.indexOf("\n");
        while (nl >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + 1);
          try {
            onEvent(JSON.parse(line) as Record<string, unknown>);
          } catch {
            // Not an event line.
          }
          nl = buffer.indexOf("\n");
        }
      });
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
        stderr += chunk;
      });
      const done = new Promise<{ code: number; stderr: string }>((resolve) =>
        child.on("close", (code, signal) => resolve({ code: code ?? (signal === "SIGKILL" ? 137 : -1), stderr })),
      );
      return { kill: () => child.kill("SIGKILL"), done };
    },
    now: () => Date.now(),
    sleep: (ms, signal) => sleep(ms, undefined, signal ? { signal } : {}),
    say,
  };
}

function labHandle(context: Awaited<ReturnType<typeof labRunContext>>): DrillLab {
  return {
    context,
    inject: async (kind, target) => (await injectFault(context.dir, parseFault(kind, target))).description,
    clearFaults: async () => {
      await clearFaults(context.dir);
    },
    freshFromGit: async () => freshFromGit(context),
  };
}

/** See DrillLab.freshFromGit: the lost checkout and state are kept beside, as `*.lost`. */
function freshFromGit(context: Awaited<ReturnType<typeof labRunContext>>): void {
  const env = { ...process.env, ...context.env } as NodeJS.ProcessEnv;
  const remote = execFileSync("git", ["-C", context.gitops, "remote", "get-url", "origin"], { encoding: "utf8", env }).trim();
  for (const dir of [context.gitops, context.stateDir]) {
    rmSync(`${dir}.lost`, { recursive: true, force: true });
    renameSync(dir, `${dir}.lost`);
  }
  execFileSync("git", ["clone", "--quiet", remote, context.gitops], { env, stdio: "ignore" });
}
