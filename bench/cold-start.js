// Start-up: whole `recover` processes against a bare `node -e 0`, spawned the same way (same Node binary)
// and interleaved so all see the same machine noise. Only the ratios of medians are machine-independent.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./stats.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = fileURLToPath(new URL("../bin/recover.js", import.meta.url));
const DRY_RUN = ["longhorn-node", "k3s1", "--dry-run", "--gitops", "fixtures/gitops"];

/** What is timed: a label, recover's arguments (none: `node -e 0`), extra environment, what stdout must hold. */
function commands(version) {
  return [
    { label: "node -e 0", args: undefined, expect: "" },
    { label: "recover --version", args: ["--version"], expect: version },
    { label: "recover validate runbooks/longhorn-node.yaml", args: ["validate", "runbooks/longhorn-node.yaml"], expect: "1 file valid" },
    { label: "recover longhorn-node k3s1 --dry-run", args: DRY_RUN, expect: /^recover longhorn-node — dry run/ },
    {
      label: "  same, validating afresh (RECOVER_CACHE=off)",
      args: DRY_RUN,
      env: { RECOVER_CACHE: "off" },
      expect: /^recover longhorn-node — dry run/,
    },
  ];
}

function timeSpawn({ args, env, expect }, cacheHome) {
  const argv = args === undefined ? ["-e", "0"] : [BIN, ...args];
  const start = performance.now();
  const result = spawnSync(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: "1", RECOVER_GITOPS: "", XDG_CACHE_HOME: cacheHome, ...env },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const elapsed = performance.now() - start;
  if (result.error) throw result.error;
  const out = result.stdout.trim();
  const ok = typeof expect === "string" ? out === expect : expect.test(out);
  if (result.status !== 0 || !ok)
    throw new Error(
      `${argv.join(" ")} exited ${result.status} with stdout ${JSON.stringify(out.slice(0, 200))} stderr ${JSON.stringify(result.stderr)}`,
    );
  return elapsed;
}

/**
 * @param {{ runs?: number, warmup?: number }} [options]
 * @returns per command: median, min, samples and ratio of medians to `node -e 0` (the first).
 */
export function coldStart({ runs = 30, warmup = 3 } = {}) {
  const version = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
  const cmds = commands(version);
  // The cache of validated runbooks lives in a folder of this run's; the warm-up spawns fill it, as an
  // operator's first run does. The warm-up also warms the page cache.
  const cacheHome = mkdtempSync(join(tmpdir(), "recover-bench-"));
  try {
    for (let i = 0; i < warmup; i++) for (const c of cmds) timeSpawn(c, cacheHome);
    const samples = cmds.map(() => []);
    for (let i = 0; i < runs; i++) {
      // Rotate the order so that no command always follows the same one.
      for (let k = 0; k < cmds.length; k++) {
        const j = (k + i) % cmds.length;
        samples[j].push(timeSpawn(cmds[j], cacheHome));
      }
    }
    const nodeMs = median(samples[0]);
    return {
      runs,
      warmup,
      results: cmds.map((c, j) => ({
        label: c.label,
        medianMs: median(samples[j]),
        minMs: Math.min(...samples[j]),
        ratio: median(samples[j]) / nodeMs,
        samples: samples[j],
      })),
    };
  } finally {
    rmSync(cacheHome, { recursive: true, force: true });
  }
}
