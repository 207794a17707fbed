#!/usr/bin/env node
// Tiny shim: on a Node too old for recover, hand over to the Node installed with it; else load the CLI
// bundle with its code cache and run it. CommonJS (bin/package.json), so that starting it sets up no
// ES module loader.
const { bundledNode, isSupported, relaunch, tooOld } = require("./bundled-node.js");

if (!isSupported(process.versions.node)) {
  const node = bundledNode(__filename);
  if (node) relaunch(node, __filename);
  else {
    process.stderr.write(tooOld(process.versions.node));
    process.exitCode = 1;
  }
} else {
  // A reader that stops early (recover plan | head) is not an error.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const { loadBundle } = require("./load-bundle.js");
  loadBundle()
    .exports.main(process.argv.slice(2))
    .then((code) => {
      process.exitCode = code;
    });
}
