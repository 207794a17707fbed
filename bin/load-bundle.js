// Loads the CLI bundle (dist/recover.cjs) with V8's code cache for it, so a run skips parsing and compiling
// what earlier runs compiled. A cache V8 refuses (another Node, other flags) is ignored: the bundle then
// compiles as usual.
const { readFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const vm = require("node:vm");

const BUNDLE = join(__dirname, "..", "dist", "recover.cjs");
const CODE_CACHE = `${BUNDLE}.cache`;

/** Evaluates the bundle; returns its exports and the compiled script (whose code cache the build saves). */
function loadBundle() {
  const source = readFileSync(BUNDLE, "utf8");
  let cachedData;
  try {
    cachedData = readFileSync(CODE_CACHE);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: BUNDLE,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const cjs = { exports: {} };
  script.runInThisContext()(cjs.exports, createRequire(BUNDLE), cjs, BUNDLE, dirname(BUNDLE));
  return { exports: cjs.exports, script, cacheRejected: cachedData === undefined || script.cachedDataRejected === true };
}

module.exports = { BUNDLE, CODE_CACHE, loadBundle };
