// Runs the freshly built CLI on the shipped runbook, in this process, and saves V8's code cache of the bundle
// afterwards: the cache then holds every function those commands compiled, not only the top level, so a real
// run starts with them compiled. The cache is only valid for the Node that wrote it (npm run build uses the
// Node installed with recover); any other Node ignores it.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CODE_CACHE, loadBundle } from "../bin/load-bundle.js";

const GITOPS = "fixtures/gitops";

/** Commands an operator runs most, on files every checkout has. */
function warmUpRuns() {
  const runs = [["--version"], ["validate", "runbooks"]];
  if (existsSync(GITOPS))
    runs.push(
      ["longhorn-node", "k3s1", "--dry-run", "--gitops", GITOPS],
      ["longhorn-node", "k3s1", "--dry-run", "--gitops", GITOPS],
      ["plan", "longhorn-node", "k3s1", "--gitops", GITOPS, "-o", "json"],
      ["graph", "longhorn-node", "k3s1", "--gitops", GITOPS],
    );
  return runs;
}

export async function warmCodeCache(root) {
  rmSync(CODE_CACHE, { force: true });
  const cwd = process.cwd();
  process.chdir(root);
  // A cache of validated input of its own, empty: the first dry-run validates, the later ones read the
  // cache, so both paths get compiled; the operator's cache is left alone.
  const cacheHome = mkdtempSync(join(tmpdir(), "recover-warm-"));
  const xdg = process.env.XDG_CACHE_HOME;
  process.env.XDG_CACHE_HOME = cacheHome;
  const { exports, script } = loadBundle();
  const write = process.stdout.write;
  const writeErr = process.stderr.write;
  const failed = [];
  try {
    // The dry-run's warnings (fixtures/gitops is not a clone of its own) are not news at build time.
    process.stdout.write = () => true;
    process.stderr.write = () => true;
    for (const args of warmUpRuns()) if ((await exports.main(args)) !== 0) failed.push(args.join(" "));
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    process.chdir(cwd);
    if (xdg === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = xdg;
    rmSync(cacheHome, { recursive: true, force: true });
  }
  // A warm-up that fails still leaves a valid (smaller) cache; the tests say what broke.
  for (const run of failed) console.warn(`warm-code-cache: recover ${run} did not exit 0`);
  writeFileSync(CODE_CACHE, script.createCachedData());
}
