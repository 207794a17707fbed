// The floor under the fan-out bench: one Node process that does what `recover` does for a plan of
// N steps per host, with bare ssh2 and nothing else (no host key check, no config, no journal,
// no events): connect to every host at once, then on each host its N commands one after the
// other, the hosts independent of each other. Prints nothing; its wall time is the row.
//   node bench/bare-ssh2-fanout.js HOSTS_JSON KEYFILE N COMMAND
//   HOSTS_JSON: [{"address", "port", "user"}, …]
import { readFileSync } from "node:fs";
import module from "node:module";

// Started like `recover` (bin/recover.js): compiled code cached between runs.
module.enableCompileCache?.();
const { bareConnect, bareExec } = await import("./ssh-transport.js");

const [hostsFile, keyFile, count, command] = process.argv.slice(2);
const key = readFileSync(keyFile);
const hosts = JSON.parse(readFileSync(hostsFile, "utf8"));
await Promise.all(
  hosts.map(async (host) => {
    const client = await bareConnect(host, key);
    for (let i = 0; i < Number(count); i++) await bareExec(client, command);
    client.end();
  }),
);
