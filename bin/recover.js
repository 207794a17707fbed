#!/usr/bin/env node
// Tiny shim: on a Node too old for recover, hand over to the Node installed with it; else load the CLI
// bundle with its code cache and run it.
import { fileURLToPath } from "node:url";
import { bundledNode, isSupported, relaunch, tooOld } from "./bundled-node.js";
import { loadBundle } from "./load-bundle.js";

if (!isSupported(process.versions.node)) {
  const node = bundledNode(import.meta.url);
  if (node) relaunch(node, fileURLToPath(import.meta.url));
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
  process.exitCode = await loadBundle().exports.main(process.argv.slice(2));
}
