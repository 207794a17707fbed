// The floor for a whole-process comparison: a Node process that connects with bare ssh2 (no host
// key check, no config) and runs N commands one after the other, like `recover RUNBOOK` does for
// an N-step runbook. Prints {"connectMs"} (connect + first command, in process); with `warm` it
// first connects and runs one command, then times N more on the open connection ({"warmMs"}).
//   node bench/bare-ssh2.js HOST PORT USER KEYFILE N COMMAND [warm]
import { readFileSync } from "node:fs";
import module from "node:module";

// Started like `recover` (bin/recover.js): compiled code cached between runs.
module.enableCompileCache?.();
const { bareConnect, bareExec } = await import("./ssh-transport.js");

const [address, port, user, keyFile, count, command, mode] = process.argv.slice(2);
const started = performance.now();
const client = await bareConnect({ address, port: Number(port), user }, readFileSync(keyFile));
await bareExec(client, command);
const connectMs = performance.now() - started;
const timed = performance.now();
for (let i = mode === "warm" ? 0 : 1; i < Number(count); i++) await bareExec(client, command);
client.end();
console.log(JSON.stringify(mode === "warm" ? { connectMs, warmMs: performance.now() - timed } : { connectMs }));
