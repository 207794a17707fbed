// The floor for a whole-process comparison: a Node process that connects with bare ssh2 and runs
// N commands one after the other, like `recover RUNBOOK` does for an N-step runbook.
//   node bench/bare-ssh2.js HOST PORT USER KEYFILE N COMMAND
import { readFileSync } from "node:fs";
import net from "node:net";
import ssh2 from "ssh2";

const [host, port, username, keyFile, count, command] = process.argv.slice(2);
const sock = net.connect({ host, port: Number(port), noDelay: true });
sock.once("connect", () => {
  const client = new ssh2.Client();
  client.once("ready", async () => {
    for (let i = 0; i < Number(count); i++) {
      await new Promise((resolve, reject) =>
        client.exec(command, (err, channel) => {
          if (err) return reject(err);
          let code;
          channel.on("exit", (c) => {
            code = c;
          });
          channel.on("close", () => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}`))));
          channel.resume();
          channel.stderr.resume();
          channel.end();
        }),
      );
    }
    client.end();
  });
  client.once("error", (error) => {
    console.error(error.message);
    process.exit(1);
  });
  client.connect({ sock, username, privateKey: readFileSync(keyFile), hostVerifier: () => true });
});
