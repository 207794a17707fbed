// One row of the SSH bench as a whole process: recover's SshTransport (from dist/) connects to
// ALIAS as the ssh config says, runs N commands one after the other and closes. Prints
// {"connectMs"} (connect + first command, in process); with `warm` it first connects and runs one
// command, then times N more on the open connection ({"warmMs"}).
//   node bench/ssh-row-recover.js CONFIG ALIAS HOME N [warm]
import module from "node:module";

// Started like `recover` (bin/recover.js): compiled code cached between runs.
module.enableCompileCache?.();
const [configFile, alias, home, count, mode] = process.argv.slice(2);
const { SshTransport } = await import(new URL("../dist/transports/ssh/transport.js", import.meta.url).href);
const command = { argv: ["test", "-d", "/tmp"] };
const started = performance.now();
// RECOVER_CACHE=off passes through: the row of a first login after known_hosts changed.
const cacheOff = process.env.RECOVER_CACHE === "off" ? { RECOVER_CACHE: "off" } : {};
const ssh = new SshTransport({ alias, configFile, env: { HOME: home, PATH: process.env.PATH, ...cacheOff } });
const run = async () => {
  const result = await ssh.exec({ command, readOnly: true });
  if (result.exitCode !== 0) throw new Error(`test -d /tmp exited ${result.exitCode}: ${result.stderr}`);
};
await run();
const connectMs = performance.now() - started;
const timed = performance.now();
for (let i = mode === "warm" ? 0 : 1; i < Number(count); i++) await run();
const warmMs = performance.now() - timed;
await ssh.close();
console.log(JSON.stringify(mode === "warm" ? { connectMs, warmMs } : { connectMs }));
