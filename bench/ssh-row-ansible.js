// One row of the SSH bench as a whole process: ansible-playbook runs the N-task playbook the
// bench wrote into DIR (pipelining, its own ControlPersist master), then the master is told to
// exit. With `warm` a first playbook run opens the master and a second one is timed ({"warmMs"}).
//   node bench/ssh-row-ansible.js DIR HOST PORT USER [warm]
import { execFile } from "node:child_process";
import module from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { ansibleEnv } from "./ansible-env.js";

// Started like `recover` (bin/recover.js): compiled code cached between runs.
module.enableCompileCache?.();

const run = promisify(execFile);
const [dir, host, port, user, mode] = process.argv.slice(2);
const env = ansibleEnv(dir);
const playbook = () => run("ansible-playbook", ["-i", path.join(dir, "inventory.ini"), path.join(dir, "playbook.yml")], { env });
if (mode === "warm") await playbook();
const timed = performance.now();
await playbook();
const warmMs = performance.now() - timed;
await run("ssh", ["-o", `ControlPath=${dir}/ans-%C`, "-p", port, "-O", "exit", `${user}@${host}`]).catch(() => undefined);
console.log(JSON.stringify(mode === "warm" ? { warmMs } : {}));
