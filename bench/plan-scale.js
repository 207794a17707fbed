// Planning scale: load+validate, plan and render a generated runbook of 1,000 and 10,000 steps;
// and one foreach step over 8,000 and 32,000 inventory items (linear: 4× the time for 4× the items).
//
// Each size runs in its own child process (node --expose-gc bench/plan-scale.js --child SIZE REPS)
// so module-level caches (e.g. the CEL environments) and JIT state of one size do not flatter the
// other. In the child, the first pass is timed separately as "cold" (what a one-shot CLI sees),
// then REPS passes give the medians.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { generateRunbook } from "./generate.js";
import { median } from "./stats.js";

const SELF = fileURLToPath(import.meta.url);

/** One full pass: returns the phase times in ms. */
function pass(mods, text) {
  const { checkRunbookText, formatDiagnostics, bindParams, plan, renderText } = mods;
  const t0 = performance.now();
  const { runbook, diagnostics } = checkRunbookText("bench.yaml", text);
  const t1 = performance.now();
  if (!runbook || diagnostics.length > 0) {
    throw new Error(`generated runbook does not validate:\n${formatDiagnostics(diagnostics.slice(0, 10))}`);
  }
  const params = bindParams(runbook.spec, { positional: ["worker-1"], named: {} });
  const planned = plan({ runbook, params });
  const t2 = performance.now();
  const rendered = renderText(planned);
  const t3 = performance.now();
  const json = JSON.stringify(planned);
  const t4 = performance.now();
  const steps = planned.stages.reduce((n, s) => n + s.steps.length, 0);
  return {
    load: t1 - t0,
    plan: t2 - t1,
    text: t3 - t2,
    json: t4 - t3,
    render: t4 - t2,
    planRender: t4 - t1,
    total: t4 - t0,
    plannedSteps: steps,
    textBytes: rendered.length,
    jsonBytes: json.length,
  };
}

async function child(size, reps) {
  const [{ checkRunbookText }, { formatDiagnostics }, { bindParams }, { plan }, { renderText }] = await Promise.all([
    import("../dist/runbook/load.js"),
    import("../dist/source/diagnostics.js"),
    import("../dist/runbook/params.js"),
    import("../dist/plan/plan.js"),
    import("../dist/preview/text.js"),
  ]);
  const mods = { checkRunbookText, formatDiagnostics, bindParams, plan, renderText };
  const gen = generateRunbook(size);
  const gc = globalThis.gc ?? (() => {});
  gc();
  const cold = pass(mods, gen.text);
  const runs = [];
  for (let i = 0; i < reps; i++) {
    gc();
    runs.push(pass(mods, gen.text));
  }
  const phases = ["load", "plan", "text", "json", "render", "planRender", "total"];
  const med = Object.fromEntries(phases.map((p) => [p, median(runs.map((r) => r[p]))]));
  const coldTimes = Object.fromEntries(phases.map((p) => [p, cold[p]]));
  process.stdout.write(
    `${JSON.stringify({
      size,
      reps,
      declaredSteps: gen.steps,
      plannedSteps: cold.plannedSteps,
      stages: gen.stages,
      captures: gen.captures,
      yamlBytes: gen.text.length,
      textBytes: cold.textBytes,
      jsonBytes: cold.jsonBytes,
      median: med,
      cold: coldTimes,
      maxRssMB: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

/**
 * Runs each size in a fresh child process.
 * @param {{ sizes?: { size: number, reps: number }[], nodeArgs?: string[] }} [options]
 */
export function planScale({
  sizes = [
    { size: 1000, reps: 7 },
    { size: 10000, reps: 3 },
  ],
  nodeArgs = [],
} = {}) {
  return sizes.map(({ size, reps }) => {
    const result = spawnSync(process.execPath, ["--expose-gc", ...nodeArgs, SELF, "--child", String(size), String(reps)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`plan-scale child for ${size} steps exited ${result.status}`);
    return JSON.parse(result.stdout.trim().split("\n").at(-1));
  });
}

/** One runbook step repeated over every disk of an inventory node: the foreach of longhorn-node at scale. */
function foreachInputs(items) {
  const disks = Array.from(
    { length: items },
    (_, i) => `      - {name: d${i}, device: /dev/disk/by-id/d${i}, size: ${1000 + i}, mount: /mnt/d${i}}`,
  );
  const inventory = [
    "apiVersion: recover/v1",
    "kind: Inventory",
    "cluster: {name: bench}",
    "nodes:",
    "  n1:",
    "    ssh: {host: n1}",
    "    disks:",
    ...disks,
  ].join("\n");
  const runbook = `apiVersion: recover/v1
kind: Runbook
metadata: {name: foreach-bench}
summary: One step per disk
params:
  node: {type: string, positional: true, in: inventory.nodes}
targets:
  node: {ssh: {host: "\${{ inventory.nodes[params.node].ssh.host }}"}}
stages:
  - id: disks
    steps:
      - id: wipe
        title: "Wipe \${{ disk.name }} (\${{ disk.device }})"
        foreach: { in: "inventory.nodes[params.node].disks", as: disk }
        when: disk.size > 0
        sh: wipefs -a -- \${{ disk.device }}
`;
  return { inventory: `${inventory}\n`, runbook };
}

async function foreachChild(items, reps) {
  const [{ checkRunbookText }, { checkInventoryText }, { bindParams }, { plan }] = await Promise.all([
    import("../dist/runbook/load.js"),
    import("../dist/inventory/load.js"),
    import("../dist/runbook/params.js"),
    import("../dist/plan/plan.js"),
  ]);
  const inputs = foreachInputs(items);
  const { runbook } = checkRunbookText("foreach.yaml", inputs.runbook);
  const { inventory } = checkInventoryText("inventory.yaml", inputs.inventory);
  if (!runbook || !inventory) throw new Error("foreach bench inputs do not validate");
  const params = bindParams(runbook.spec, { positional: ["n1"], named: {} });
  const gc = globalThis.gc ?? (() => {});
  const times = [];
  let planned = 0;
  for (let i = 0; i < reps; i++) {
    gc();
    const t0 = performance.now();
    const result = plan({ runbook, params, inventory });
    times.push(performance.now() - t0);
    planned = result.stages[0].steps.length;
  }
  process.stdout.write(`${JSON.stringify({ items, reps, planned, planMs: median(times) })}\n`);
}

/**
 * Planning time of one foreach step over an inventory of `items` disks, each size in a fresh child
 * process. Converting the whole context for CEL at every evaluation made this quadratic.
 * @param {{ sizes?: { items: number, reps: number }[] }} [options]
 */
export function foreachScale({
  sizes = [
    { items: 8000, reps: 3 },
    { items: 32000, reps: 3 },
  ],
} = {}) {
  return sizes.map(({ items, reps }) => {
    const result = spawnSync(process.execPath, ["--expose-gc", SELF, "--foreach-child", String(items), String(reps)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      maxBuffer: 64 * 1024 * 1024,
    });
    if (result.error) throw result.error;
    if (result.status !== 0) throw new Error(`foreach bench child for ${items} items exited ${result.status}`);
    return JSON.parse(result.stdout.trim().split("\n").at(-1));
  });
}

if (process.argv[1] === SELF && process.argv[2] === "--child") {
  await child(Number(process.argv[3]), Number(process.argv[4]));
}
if (process.argv[1] === SELF && process.argv[2] === "--foreach-child") {
  await foreachChild(Number(process.argv[3]), Number(process.argv[4]));
}
