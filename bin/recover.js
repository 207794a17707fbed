#!/usr/bin/env node
// Tiny shim: cache compiled bytecode between runs, then hand over to the built CLI.
import module from "node:module";

module.enableCompileCache?.();
const { main } = await import("../dist/cli/main.js");
process.exitCode = await main(process.argv.slice(2));
