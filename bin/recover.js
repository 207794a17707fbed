#!/usr/bin/env node
// Tiny shim: cache compiled bytecode between runs, then hand over to the built CLI.
import module from "node:module";

module.enableCompileCache?.();
// A reader that stops early (recover plan | head) is not an error.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});
const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
