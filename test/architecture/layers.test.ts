import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Dependencies run one way: cli → (engine, checkpoint, report, preview, preflight, lab) → plan →
 * (runbook, inventory) → (expr, source) → util, transports beside, errors.ts at the bottom.
 * Each layer lists what it may import; anything else fails here, with the offending import.
 */
const ALLOWED: Record<string, string[]> = {
  errors: [],
  util: [],
  source: ["errors", "util"],
  expr: ["errors", "util"],
  runbook: ["errors", "util", "source", "expr"],
  inventory: ["errors", "util", "source"],
  // The planner names targets with the transports' target type (types only: nothing that connects).
  plan: ["errors", "util", "source", "expr", "runbook", "inventory", "transports/target"],
  transports: ["errors", "util"],
  preview: ["errors", "util", "plan", "runbook", "transports/target"],
  preflight: ["errors", "util", "plan", "inventory", "transports"],
  // The engine sees the transport interface and its errors, never a concrete transport.
  engine: [
    "errors",
    "util",
    "expr",
    "plan",
    "runbook",
    "preview",
    "transports/types",
    "transports/errors",
    "transports/target",
    "transports/run-marker",
  ],
  checkpoint: ["errors", "util", "plan", "source"],
  report: ["errors", "util", "plan", "engine", "preview", "transports/types", "transports/target"],
  "lab/kube-api": ["errors", "util"],
  "lab/sshd": ["errors", "util"],
  // The lab's own layers (issue 12): records and models at the bottom, the daemon assembling the rest.
  "lab/state": ["errors", "util"],
  "lab/model": ["errors", "util"],
  "lab/host": ["errors", "util", "lab/state", "lab/sshd"],
  "lab/node": ["errors", "util", "lab/state", "lab/host", "lab/sshd"],
  "lab/access": ["errors", "util", "lab/host", "lab/sshd"],
  "lab/gitops": ["errors", "util", "lab/model", "lab/kube-api"],
  // Objects both the seed and the controllers make (the workload's pod, CSI VolumeAttachments).
  "lab/objects": ["errors", "util", "lab/kube-api"],
  "lab/cluster": ["errors", "util", "lab/model", "lab/gitops", "lab/kube-api", "lab/objects"],
  "lab/controllers": ["errors", "util", "lab/kube-api", "lab/objects"],
  "lab/faults": ["errors", "util"],
  "lab/daemon": [
    "lab/controllers",
    "lab/faults",
    "errors",
    "util",
    "lab/state",
    "lab/model",
    "lab/host",
    "lab/node",
    "lab/access",
    "lab/gitops",
    "lab/cluster",
    "lab/kube-api",
    "lab/sshd",
    "lab/objects",
  ],
  lab: ["*"],
  // Drills (issue 15): scenarios read like runbooks, probes through the transport interface, the lab's own API.
  drill: ["errors", "util", "source", "expr", "runbook", "engine", "transports/types", "lab"],
  cli: ["*"],
};

const SRC = path.resolve(import.meta.dirname, "../../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

/** The layer of a file: `errors`, `plan`, `lab/kube-api`… (lab's subfolders are layers of their own). */
function layerOf(file: string): string {
  const parts = path.relative(SRC, file).replace(/\.ts$/, "").split(path.sep);
  if (parts.length === 1) return parts[0] as string;
  if (parts[0] === "lab" && parts.length > 2) return `lab/${parts[1]}`;
  return parts[0] as string;
}

function relativeImports(text: string): string[] {
  return [...text.matchAll(/(?:from\s+|import\s*\(\s*)["'](\.{1,2}\/[^"']+)["']/g)].map((m) => m[1] as string);
}

function permits(from: string, target: string): boolean {
  const rules = ALLOWED[from];
  if (!rules) return false;
  const to = layerOf(target);
  const module = path.relative(SRC, target).replace(/\.ts$/, "");
  return to === from || rules.some((r) => r === "*" || r === to || r === module);
}

describe("layers", () => {
  const files = sourceFiles(SRC);

  it("every layer is declared", () => {
    const undeclared = [...new Set(files.map(layerOf))].filter((l) => !(l in ALLOWED));
    expect(undeclared).toEqual([]);
  });

  it("each import goes to a layer the importer may use", () => {
    const violations: string[] = [];
    for (const file of files) {
      for (const spec of relativeImports(readFileSync(file, "utf8"))) {
        const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, ".ts");
        if (!permits(layerOf(file), target)) violations.push(`${path.relative(SRC, file)} imports ${spec}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("only `recover lab` and `recover drill` reach the lab (its root-level setup code: apt-get, users, sudoers)", () => {
    const reaching = files.filter((file) => {
      const rel = path.relative(SRC, file);
      if (
        rel.startsWith(`lab${path.sep}`) ||
        rel.startsWith(`drill${path.sep}`) ||
        /^cli\/(lab-commands|commands\/(lab[^/]*|drill))\.ts$/.test(rel)
      )
        return false;
      return relativeImports(readFileSync(file, "utf8")).some((s) =>
        path.relative(SRC, path.resolve(path.dirname(file), s)).startsWith(`lab${path.sep}`),
      );
    });
    expect(reaching.map((f) => path.relative(SRC, f))).toEqual([]);
  });

  it("the test catches a forbidden import", () => {
    expect(permits("runbook", path.join(SRC, "plan/plan.ts"))).toBe(false);
    expect(permits("engine", path.join(SRC, "transports/ssh/transport.ts"))).toBe(false);
    expect(permits("errors", path.join(SRC, "cli/main.ts"))).toBe(false);
    expect(permits("engine", path.join(SRC, "transports/types.ts"))).toBe(true);
  });
});

describe("no import cycles between files", () => {
  it("the file graph of src/ is acyclic (type-only imports included)", () => {
    const files = sourceFiles(SRC);
    const edges = new Map(
      files.map((f) => [f, relativeImports(readFileSync(f, "utf8")).map((s) => path.resolve(path.dirname(f), s).replace(/\.js$/, ".ts"))]),
    );
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]): void => {
      state.set(f, 1);
      for (const next of edges.get(f) ?? []) {
        if (state.get(next) === 1) cycles.push([...stack.slice(stack.indexOf(next)), next].map((p) => path.relative(SRC, p)).join(" → "));
        else if (!state.has(next)) visit(next, [...stack, next]);
      }
      state.set(f, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f, [f]);
    expect(cycles).toEqual([]);
  });
});
