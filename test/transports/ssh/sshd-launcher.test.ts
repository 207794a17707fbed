import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LAB_LOGIN_SHELL } from "../../../src/lab/sshd/lab-users.js";
import { startSshd } from "../../../src/lab/sshd/server.js";
import { ensureLabSystem } from "../../../src/lab/sshd/system-setup.js";
import { ConnectionLostError } from "../../../src/transports/errors.js";
import { rejectionOf, type SshHarness, startSshHarness } from "../../helpers/sshd.js";

let lab: SshHarness;

beforeAll(async () => {
  lab = await startSshHarness();
}, 60_000);

afterAll(async () => {
  await lab?.cleanup();
});

const refuses = (address: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: address, port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(true));
  });

describe("lab sshd launcher", () => {
  it("system setup is idempotent and gives the lab users /bin/sh", async () => {
    const again = await ensureLabSystem();
    expect(again).toEqual(lab.system);
    const passwd = await readFile("/etc/passwd", "utf8");
    for (const user of [again.user, again.passwordUser]) expect(passwd).toMatch(new RegExp(`^${user}:.*:${LAB_LOGIN_SHELL}$`, "m"));
  });

  it("starts servers in parallel on the addresses asked for, never sharing a port", async () => {
    const servers = await Promise.all(
      [0, 1, 2].map(() => startSshd({ address: "127.0.0.77", authorizedKeys: [lab.key.publicLine], system: lab.system })),
    );
    try {
      expect(new Set(servers.map((s) => s.port)).size).toBe(3);
      for (const s of servers) {
        expect(s.address).toBe("127.0.0.77");
        expect(await s.readLog()).toContain(`Server listening on 127.0.0.77 port ${s.port}`);
      }
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });

  it("stop() kills the listener, its connections and their commands, and removes its files", async () => {
    const server = await lab.startHost("doomed");
    const seconds = lab.uniqueSleep();
    const running = rejectionOf(lab.transport("doomed").exec({ command: { argv: ["sleep", seconds] } }));
    await lab.waitForProcess(`sleep ${seconds}`);
    expect(await server.connectionPids()).not.toEqual([]);
    const pid = server.pid as number;
    await server.stop();
    expect(await running).toBeInstanceOf(ConnectionLostError);
    expect(await lab.pidsMatching(`sleep ${seconds}`)).toEqual([]);
    expect(() => process.kill(pid, 0)).toThrow();
    expect(existsSync(server.dir)).toBe(false);
    expect(await refuses(server.address, server.port)).toBe(true);
    await server.stop();
  });

  it("down() and up() keep address, port and host keys, so known_hosts still matches", async () => {
    const server = await lab.startHost("flaky");
    const ssh = lab.transport("flaky");
    expect((await ssh.exec({ command: { argv: ["true"] } })).exitCode).toBe(0);
    const { port } = server;
    await server.down();
    expect(await refuses(server.address, port)).toBe(true);
    await server.up();
    expect(server.port).toBe(port);
    expect((await ssh.exec({ command: { argv: ["echo", "again"] } })).stdout).toBe("again\n");
  });

  it("a config sshd rejects fails with the log's words", async () => {
    const error = await rejectionOf(
      startSshd({ authorizedKeys: [lab.key.publicLine], system: lab.system, extraConfig: ["NoSuchKeyword yes"] }),
    );
    expect(error.message).toMatch(/exited at start/);
    expect(error.message).toMatch(/NoSuchKeyword|Bad configuration option/i);
  });
});
