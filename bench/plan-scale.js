// Planning scale: load+validate, plan and render a generated runbook of 1,000 and 10,000 steps.
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

if (process.argv[1] === SELF && process.argv[2] === "--child") {
  await child(Number(process.argv[3]), Number(process.argv[4]));
}
