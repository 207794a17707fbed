// `recover check` end to end: the built CLI against real sshd hosts and the kube-api emulator,
// also on a terminal (a real pty made by util-linux `script`) where it asks for the sudo password.
import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeApi, startKubeApi } from "../../src/lab/kube-api/index.js";
import { BIN, ROOT, runCliAsync } from "../helpers/cli.js";
import { type SshHarness, startSshHarness } from "../helpers/sshd.js";

let lab: SshHarness;
let api: KubeApi;
let inventory: string;

beforeAll(async () => {
  lab = await startSshHarness();
  api = await startKubeApi();
  await api.writeKubeconfig(path.join(lab.dir, "kubeconfig"), { context: "lab" });
  await lab.startHost("k3s1");
  await lab.startHost("k3s2", { known: false });
  await lab.startHost("k3s3", { user: lab.system.passwordUser });
  inventory = path.join(lab.dir, "inventory.yaml");
  await writeFile(
    inventory,
    [
      "apiVersion: recover/v1",
      "kind: Inventory",
      "cluster: { name: lab, context: lab, kubeconfig: kubeconfig }",
      "nodes:",
      "  k3s1: { ssh: { host: k3s1 } }",
      "  k3s2: { ssh: { host: k3s2 } }",
      "  k3s3: { ssh: { host: k3s3 } }",
      "",
    ].join("\n"),
  );
}, 60_000);

afterAll(async () => {
  await api?.close();
  await lab?.cleanup();
});

const check = (...args: string[]) =>
  runCliAsync(["check", "--inventory", inventory, "--ssh-config", lab.configFile, "--timeout", "10s", ...args], {
    env: { ...lab.env, KUBECACHEDIR: path.join(lab.dir, "kube-cache") },
  });

describe("recover check", () => {
  it("reports tools, the cluster and a good node as passing", async () => {
    const result = await check("k3s1");
    expect(result.stdout).toMatch(/^✓ tools\s+kubectl, git installed$/m);
    expect(result.stdout).toMatch(/^✓ cluster lab\s+server v1\.32\.\d+/m);
    expect(result.stdout).toMatch(/^✓ node k3s1\s+ssh k3s1: logged in, sudo gives root$/m);
    expect(result.stdout).toMatch(/all checks passed\n$/);
    expect(result.code).toBe(0);
  });

  it("stops at an unknown host key, names its fingerprint, and accepts it only when told", async () => {
    const refused = await check("k3s2");
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(
      /^✗ node k3s2\s+ssh k3s2: cannot log in: host key of .* is not known: it presented ssh-ed25519 key SHA256:/m,
    );
    expect(refused.stdout).toContain("--accept-new-host-key");
    expect(refused.stdout).toMatch(/1 check failed; nothing was changed/);
    const k3s2 = lab.servers.get("k3s2");
    expect(await readFile(lab.knownHostsFile, "utf8")).not.toContain(`[${k3s2?.address}]:${k3s2?.port} `);

    const accepted = await check("k3s2", "--accept-new-host-key");
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toMatch(/recover: added ssh-ed25519 key SHA256:\S+ of \S+ to .*known_hosts \(accept-new\)/);
    expect(await readFile(lab.knownHostsFile, "utf8")).toContain(`[${k3s2?.address}]:${k3s2?.port} ssh-ed25519 `);
    expect(await check("k3s2")).toMatchObject({ code: 0 });
  });

  it("says when login works but sudo wants a password", async () => {
    const result = await check("k3s3");
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ node k3s3\s+ssh k3s3: logged in, but sudo failed: .*passwordless sudo/m);
    expect(result.stdout).not.toContain(lab.system.sudoPassword ?? "no password in output");
  });

  it("an unreachable cluster fails its line, and a node not in the inventory is bad input", async () => {
    api.control.inject({ path: /\/version/, status: 503, times: Number.POSITIVE_INFINITY });
    try {
      const down = await check("k3s1", "--timeout", "3s");
      expect(down.code).toBe(1);
      // kubectl keeps retrying a 503 on /version; the check's own timeout ends it.
      expect(down.stdout).toMatch(/^✗ cluster lab\s+timed out after 3 s: kubectl version -o json \(lab\); it was stopped$/m);
    } finally {
      api.control.clearFaults();
    }
    const unknown = await check("k3s9");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("node k3s9 is not in");
    expect(unknown.stderr).toContain("nodes in the inventory: k3s1, k3s2, k3s3");
  });
});

/** Runs `recover check k3s3` on a pseudo-terminal and answers each password prompt from `answers`. */
function checkOnTerminal(answers: string[]): Promise<{ code: number | null; output: string; prompts: number }> {
  const command = [process.execPath, BIN, "check", "k3s3", "--inventory", inventory, "--ssh-config", lab.configFile, "--timeout", "20s"]
    .map((word) => `'${word}'`)
    .join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: ROOT,
    env: { ...lab.env, NO_COLOR: "1", KUBECACHEDIR: path.join(lab.dir, "kube-cache"), TERM: "dumb" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let prompts = 0;
  // The prompt redraws on every key ("? [sudo] …") and turns into "✔ [sudo] …" once answered:
  // answer when a prompt is showing and every earlier one has been answered.
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    const answered = output.split("✔ [sudo] password for").length - 1;
    const showing = output.lastIndexOf("? [sudo] password for") > output.lastIndexOf("✔ [sudo] password for");
    if (showing && prompts === answered) {
      child.stdin.write(`${answers[Math.min(prompts, answers.length - 1)]}\r`);
      prompts++;
    }
  });
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output, prompts })));
}

describe("recover check on a terminal", () => {
  it("asks for the sudo password, never echoes it, and passes", async () => {
    const password = lab.system.sudoPassword as string;
    const result = await checkOnTerminal([password]);
    expect(result.prompts).toBe(1);
    expect(result.output).toContain(`[sudo] password for ${lab.system.passwordUser} on k3s3`);
    expect(result.output).toMatch(/✓ node k3s3\s+ssh k3s3: logged in, sudo gives root/);
    expect(result.output).not.toContain(password);
    expect(result.code).toBe(0);
  });

  it("a wrong password is asked again, then reported without the password", async () => {
    const result = await checkOnTerminal(["not-the-password"]);
    expect(result.prompts).toBe(3);
    expect(result.output).toMatch(/✗ node k3s3\s+ssh k3s3: logged in, but sudo failed/);
    expect(result.output).not.toContain("not-the-password");
    expect(result.code).toBe(1);
  });
});
