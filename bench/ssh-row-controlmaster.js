// One row of the SSH bench as a whole process: N `ssh ALIAS COMMAND` in a loop with OpenSSH's
// ControlMaster (the first one opens the master, the others reuse it), then the master is told to
// exit. Prints {"connectMs"} (the first ssh, in process); with `warm` it times N more ssh through
// the open master ({"warmMs"}).
//   node bench/ssh-row-controlmaster.js CONFIG ALIAS CONTROL_DIR N COMMAND [warm]
import { execFile } from "node:child_process";
import module from "node:module";
import { promisify } from "node:util";

// Started like `recover` (bin/recover.js): compiled code cached between runs.
module.enableCompileCache?.();

const run = promisify(execFile);
const [configFile, alias, controlDir, count, command, mode] = process.argv.slice(2);
const args = ["-F", configFile, "-o", "ControlMaster=auto", "-o", `ControlPath=${controlDir}/cm-%C`, "-o", "ControlPersist=60"];
const started = performance.now();
await run("ssh", [...args, alias, command]);
const connectMs = performance.now() - started;
const timed = performance.now();
for (let i = mode === "warm" ? 0 : 1; i < Number(count); i++) await run("ssh", [...args, alias, command]);
const warmMs = performance.now() - timed;
await run("ssh", [...args, "-O", "exit", alias]).catch(() => undefined);
console.log(JSON.stringify(mode === "warm" ? { connectMs, warmMs } : { connectMs }));
