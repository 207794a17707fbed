import { describe, expect, it } from "vitest";
import { LazyTransport } from "../../src/transports/lazy.js";
import { LocalTransport } from "../../src/transports/local.js";
import { openTransport } from "../../src/transports/open.js";
import type { Transport } from "../../src/transports/types.js";

/** A LazyTransport over a real LocalTransport, counting loads and closes. */
function counted() {
  const counts = { loads: 0, closes: 0 };
  const lazy = new LazyTransport("local", "local", async () => {
    counts.loads++;
    const local = new LocalTransport();
    return {
      kind: local.kind,
      name: local.name,
      exec: (request) => local.exec(request),
      close: async () => {
        counts.closes++;
        await local.close();
      },
    } satisfies Transport;
  });
  return { lazy, counts };
}

describe("LazyTransport", () => {
  it("loads its transport on the first exec, once, and runs every command on it", async () => {
    const { lazy, counts } = counted();
    expect(counts.loads).toBe(0);
    const [a, b] = await Promise.all([
      lazy.exec({ command: { argv: ["/bin/echo", "one"] } }),
      lazy.exec({ command: { script: "echo two" } }),
    ]);
    expect([a.stdout, b.stdout]).toEqual(["one\n", "two\n"]);
    expect(counts.loads).toBe(1);
    await lazy.close();
    expect(counts.closes).toBe(1);
  });

  it("never loads a transport that was only closed", async () => {
    const { lazy, counts } = counted();
    await lazy.close();
    expect(counts).toEqual({ loads: 0, closes: 0 });
  });
});

describe("openTransport", () => {
  it("names each target as its concrete transport does, before loading it", async () => {
    const ssh = openTransport({ kind: "ssh", host: "k3s1" });
    const kube = openTransport({ kind: "kubectl", context: "lab" });
    expect([ssh.kind, ssh.name, kube.kind, kube.name]).toEqual(["ssh", "k3s1", "kubectl", "lab"]);
    expect(openTransport({ kind: "kubectl" }).name).toBe("kubectl");
    await Promise.all([ssh.close(), kube.close()]);
  });

  it("runs a local command through the transport it loads", async () => {
    const local = openTransport({ kind: "local" }, { cwd: "/tmp" });
    expect((await local.exec({ command: { argv: ["pwd"] } })).stdout).toBe("/tmp\n");
    await local.close();
  });
});
