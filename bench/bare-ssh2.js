// The floor for a whole-process comparison: a Node process that connects with bare ssh2 and runs
// N commands one after the other, like `recover RUNBOOK` does for an N-step runbook.
//   node bench/bare-ssh2.js HOST PORT USER KEYFILE N COMMAND
import { readFileSync } from "node:fs";
import { bareConnect, bareExec } from "./ssh-transport.js";

const [address, port, user, keyFile, count, command] = process.argv.slice(2);
const client = await bareConnect({ address, port: Number(port), user }, readFileSync(keyFile));
for (let i = 0; i < Number(count); i++) await bareExec(client, command);
client.end();
