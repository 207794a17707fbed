// Cold start: `recover --version` against a bare `node -e 0`, spawned the same way and interleaved
// so both see the same machine noise. Only the ratio of medians is machine-independent.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { median } from "./stats.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const BIN = fileURLToPath(new URL("../bin/recover.js", import.meta.url));

function timeSpawn(args, expectOut) {
  const start = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const elapsed = performance.now() - start;
  if (result.error) throw result.error;
  if (result.status !== 0 || (expectOut !== undefined && result.stdout.trim() !== expectOut)) {
    throw new Error(
      `${args.join(" ")} exited ${result.status} with stdout ${JSON.stringify(result.stdout)} stderr ${JSON.stringify(result.stderr)}`,
    );
  }
  return elapsed;
}

/**
 * @param {{ runs?: number, warmup?: number }} [options]
 */
export function coldStart({ runs = 30, warmup = 3 } = {}) {
  const version = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version;
  const recover = () => timeSpawn([BIN, "--version"], version);
  const node = () => timeSpawn(["-e", "0"], "");
  // Warm-up: page cache, and the compile cache bin/recover.js enables.
  for (let i = 0; i < warmup; i++) {
    recover();
    node();
  }
  const r = [];
  const n = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first so neither always follows the other.
    if (i % 2 === 0) {
      r.push(recover());
      n.push(node());
    } else {
      n.push(node());
      r.push(recover());
    }
  }
  const recoverMs = median(r);
  const nodeMs = median(n);
  return {
    runs,
    warmup,
    recoverMs,
    nodeMs,
    recoverMinMs: Math.min(...r),
    nodeMinMs: Math.min(...n),
    ratio: recoverMs / nodeMs,
    samples: { recover: r, node: n },
  };
}
