// `recover check` on a terminal: the sudo password is asked for (never echoed), under a real pty
// made by util-linux `script`, with the built CLI against a real sshd host and the emulator.
import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KubeApi, startKubeApi } from "../../src/lab/kube-api/index.js";
import { BIN, ROOT } from "../helpers/cli.js";
import { type SshHarness, startSshHarness } from "../helpers/sshd.js";

let lab: SshHarness;
let api: KubeApi;
let inventory: string;

beforeAll(async () => {
  lab = await startSshHarness();
  api = await startKubeApi();
  await api.writeKubeconfig(path.join(lab.dir, "kubeconfig"), { context: "lab" });
  await lab.startHost("k3s3", { user: lab.system.passwordUser });
  inventory = path.join(lab.dir, "inventory.yaml");
  await writeFile(
    inventory,
    "apiVersion: recover/v1\nkind: Inventory\ncluster: { name: lab, context: lab, kubeconfig: kubeconfig }\nnodes:\n  k3s3: { ssh: { host: k3s3 } }\n",
  );
}, 60_000);

afterAll(async () => {
  await api?.close();
  await lab?.cleanup();
});

/** Runs `recover check k3s3` on a pseudo-terminal and answers each password prompt from `answers`. */
function checkOnTerminal(answers: string[]): Promise<{ code: number | null; output: string; prompts: number }> {
  const command = [process.execPath, BIN, "check", "k3s3", "--inventory", inventory, "--ssh-config", lab.configFile, "--timeout", "20"]
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
