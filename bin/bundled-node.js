// Runs recover on the Node.js it installs with itself, when the Node that started it is too old.
// Plain JavaScript that any Node ≥ 20 (npm's own floor) can load: it is read before anything is built or checked.
const { spawn } = require("node:child_process");
const { existsSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");

/** The oldest Node.js recover's code runs on (require(esm), the compile cache). */
const NEEDED = { major: 22, minor: 12 };

/** Whether a Node version ("22.12.0") is new enough to run recover itself. */
function isSupported(version) {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > NEEDED.major || (major === NEEDED.major && minor >= NEEDED.minor);
}

/** The Node.js binary of the `node-<platform>-<arch>` package installed with recover, if there is one (`from`: a file of recover). */
function bundledNode(from) {
  const name = `node-${process.platform}-${process.arch}`;
  try {
    const bin = join(dirname(createRequire(from).resolve(`${name}/package.json`)), "bin", "node");
    return existsSync(bin) ? bin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs `script` with this process's arguments on `node` and ends this process as the child ends.
 * Ctrl-C and Ctrl-\ reach the child from the terminal (same process group), so they are not sent twice;
 * a SIGTERM or SIGHUP aimed at this process is passed on.
 */
function relaunch(node, script) {
  const child = spawn(node, [script, ...process.argv.slice(2)], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGQUIT"]) process.on(signal, () => {});
  for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("error", (error) => {
    process.stderr.write(`recover: cannot start ${node}: ${error.message}\n`);
    process.exit(1);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    process.exit(code ?? 1);
  });
}

/** What to say when neither this Node nor a bundled one can run recover. */
function tooOld(version) {
  return (
    `recover: this is Node.js v${version}; recover needs Node.js ${NEEDED.major}.${NEEDED.minor} or newer.\n` +
    `  hint: install recover with npm (it brings its own Node.js in the node-${process.platform}-${process.arch} package; ` +
    "do not omit optional dependencies), or run it with Node.js 22.12+\n"
  );
}

module.exports = { NEEDED, bundledNode, isSupported, relaunch, tooOld };
