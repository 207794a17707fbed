#!/usr/bin/env node
// Tiny shim: on a Node too old for recover, hand over to the Node installed with it; else cache compiled
// bytecode between runs and start the built CLI.
import module from "node:module";
import { fileURLToPath } from "node:url";
import { bundledNode, isSupported, relaunch, tooOld } from "./bundled-node.js";

if (!isSupported(process.versions.node)) {
  const node = bundledNode(import.meta.url);
  if (node) relaunch(node, fileURLToPath(import.meta.url));
  else {
    process.stderr.write(tooOld(process.versions.node));
    process.exitCode = 1;
  }
} else {
  module.enableCompileCache?.();
  // A reader that stops early (recover plan | head) is not an error.
  process.stdout.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
  const { main } = await import("../dist/cli/main.js");
  process.exitCode = await main(process.argv.slice(2));
}
