import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BIN, ROOT, runCli } from "../../helpers/cli.js";
import { runKubectl } from "../../helpers/kube-api.js";

let dir: string;
let children: ChildProcess[] = [];
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "recover-lab-cli-"));
});
afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children = [];
  await rm(dir, { recursive: true, force: true });
});

interface Foreground {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `recover lab kube-api …` in the foreground and resolves once it prints its URL. */
function startForeground(args: string[]): Promise<Foreground> {
  const child = spawn(process.execPath, [BIN, "lab", "kube-api", ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url, output: () => output, exited });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) => reject(new Error(`recover lab kube-api exited ${code} before listening:\n${output}`)));
  });
}

const kubectl = (kubeconfig: string, args: string[]) => runKubectl(args, { kubeconfig, cache: join(dir, "cache"), home: dir });

describe("recover lab", () => {
  it("without a subcommand, lists the subcommands; drills are `recover drill`, not a lab subcommand", () => {
    const help = runCli(["lab"]);
    expect(help.code).toBe(0);
    for (const name of ["kube-api", "up", "down", "status", "fault"]) expect(help.stdout + help.stderr).toContain(name);
    // Not `lab up`: that builds a real lab in the default directory (issue 12).
    const drill = runCli(["lab", "drill", "longhorn-node", "k3s1"]);
    expect(drill.code).toBe(2);
    expect(drill.stderr).toContain("unknown command 'drill'");
  });
});

describe("recover lab kube-api", () => {
  it("runs in the foreground with fixtures, is steered by the client subcommands, and exits 0 on SIGTERM", async () => {
    const kubeconfig = join(dir, "kubeconfig");
    const fixture = join(dir, "node.yaml");
    await writeFile(
      fixture,
      "apiVersion: longhorn.io/v1beta2\nkind: Node\nmetadata: {name: k3s1, namespace: longhorn-system}\nspec: {allowScheduling: true}\n",
    );
    const server = await startForeground(["--listen", "127.0.0.1:0", "--kubeconfig", kubeconfig, "--fixtures", fixture]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.output()).toContain(`kubeconfig: ${kubeconfig} (context lab)`);

    expect((await kubectl(kubeconfig, ["get", "lhn", "-A", "-o", "name"])).stdout).toBe("node.longhorn.io/k3s1\n");

    const fault = runCli([
      "lab",
      "kube-api",
      "fault",
      "--server",
      server.url,
      "--path",
      "/api/v1/namespaces/default/configmaps",
      "--status",
      "500",
    ]);
    expect(fault).toMatchObject({
      code: 0,
      stdout: "fault 1 injected: any method /api/v1/namespaces/default/configmaps → answer 500 (1 left)\n",
    });
    expect(runCli(["lab", "kube-api", "faults", "--kubeconfig", kubeconfig]).stdout).toContain(
      "1  any method /api/v1/namespaces/default/configmaps",
    );
    const failed = await kubectl(kubeconfig, ["get", "cm"]);
    expect(failed.stderr).toBe("Error from server (InternalError): injected fault: HTTP 500\n");
    expect(runCli(["lab", "kube-api", "faults", "-k", kubeconfig]).stdout).toBe("no active faults\n");

    await writeFile(join(dir, "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: loaded}\ndata: {a: b}\n");
    expect(runCli(["lab", "kube-api", "load", join(dir, "cm.yaml"), "-k", kubeconfig])).toMatchObject({
      code: 0,
      stdout: "1 object loaded\n",
    });
    expect((await kubectl(kubeconfig, ["get", "cm", "loaded", "-o", "jsonpath={.data.a}"])).stdout).toBe("b");

    const log = runCli(["lab", "kube-api", "requests", "--json", "-k", kubeconfig]);
    const entries = log.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(entries).toContainEqual(
      expect.objectContaining({ method: "GET", path: "/api/v1/namespaces/default/configmaps", status: 500, fault: "status" }),
    );

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("SIGTERM: stopping");
    const gone = runCli(["lab", "kube-api", "requests", "--server", server.url]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`cannot reach the kube-api emulator at ${server.url}: ECONNREFUSED`);
  });

  it("with --tls and --token, writes a kubeconfig kubectl and the client subcommands use", async () => {
    const kubeconfig = join(dir, "kubeconfig");
    const server = await startForeground(["--kubeconfig", kubeconfig, "--tls", "--token", "t0ken", "--context", "drill"]);
    expect(server.url).toMatch(/^https:/);
    expect((await kubectl(kubeconfig, ["get", "ns", "kube-system", "-o", "name"])).stdout).toBe("namespace/kube-system\n");
    expect(runCli(["lab", "kube-api", "requests", "-k", kubeconfig]).stdout).toMatch(/GET +200 .*\/api\/v1\/namespaces\/kube-system/);
    const wrong = runCli(["lab", "kube-api", "requests", "-k", kubeconfig, "--token", "nope"]);
    expect(wrong).toMatchObject({ code: 1 });
    expect(wrong.stderr).toContain("the emulator answered 401: Unauthorized");
    server.child.kill("SIGINT");
    expect(await server.exited).toBe(0);
  });

  it("refuses bad flags before starting anything", () => {
    const noKubeconfig = runCli(["lab", "kube-api"]);
    expect(noKubeconfig).toMatchObject({ code: 2 });
    expect(noKubeconfig.stderr).toContain("needs --kubeconfig FILE");
    const tokenWithoutTls = runCli(["lab", "kube-api", "--kubeconfig", join(dir, "k"), "--token", "t"]);
    expect(tokenWithoutTls.stderr).toContain("--token needs --tls");
    const remote = runCli(["lab", "kube-api", "--kubeconfig", join(dir, "k"), "--listen", "10.0.0.1:6443"]);
    expect(remote).toMatchObject({ code: 2 });
    expect(remote.stderr).toContain("the emulator listens on loopback only");
    const noTarget = runCli(["lab", "kube-api", "faults"]);
    expect(noTarget.stderr).toContain("say where the emulator is: --server URL or --kubeconfig FILE");
  });
});
