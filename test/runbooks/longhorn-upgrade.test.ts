// longhorn-upgrade through Git and Flux: the real kubectl against the emulator, a real Git remote
// that a simulated Flux reads the chart version from, and a simulated Longhorn that upgrades one
// minor at a time (or refuses with FailedUpgradePreCheck).
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { EngineEvent } from "../../src/engine/events.js";
import type { KubeObject } from "../../src/lab/kube-api/index.js";
import { ROOT } from "../helpers/cli.js";
import { startTestKubeApi, type TestKubeApi } from "../helpers/kube-api.js";
import { fluxObject, startFakeFlux } from "./support/fake-flux.js";
import { lh } from "./support/fake-longhorn.js";
import { rolledOut, startFakeUpgrades } from "./support/fake-upgrade.js";
import { runInProcess } from "./support/in-process.js";
import { atRemote, gitopsRepo, TestCheckpoints } from "./support/test-checkpoints.js";

const RELEASE = "infrastructure/longhorn/base/helm-release.yaml";
let kube: TestKubeApi | undefined;
let dir: string | undefined;

afterEach(async () => {
  await kube?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  kube = undefined;
  dir = undefined;
});

async function upgradeLab(from: string, refuse: string[] = []) {
  kube = await startTestKubeApi();
  dir = await mkdtemp(path.join(tmpdir(), "recover-upgrade-"));
  const source = path.join(dir, "source");
  execFileSync("cp", ["-r", path.join(ROOT, "fixtures", "gitops"), source]);
  const inventoryFile = path.join(source, "recover", "inventory.yaml");
  const inventory = parse(await (await import("node:fs/promises")).readFile(inventoryFile, "utf8"));
  inventory.cluster = { name: "lab", context: "lab", kubeconfig: kube.kubeconfig };
  await writeFile(inventoryFile, stringify(inventory));
  const release = parse(await (await import("node:fs/promises")).readFile(path.join(source, RELEASE), "utf8"));
  release.spec.chart.spec.version = from;
  await writeFile(path.join(source, RELEASE), stringify(release));
  const { clone, remote } = gitopsRepo(dir, source);
  const engine = (v: string) => `longhornio/longhorn-engine:v${v}`;
  await kube.api.control.load([
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "longhorn-system" } },
    fluxObject("HelmRelease", "longhorn-system", "longhorn", {
      spec: { interval: "1h", chart: { spec: { chart: "longhorn", version: from } } },
    }),
    lh("Setting", "current-longhorn-version", { value: `v${from}` }),
    lh("Setting", "concurrent-automatic-engine-upgrade-per-node-limit", { value: "0" }),
    lh("EngineImage", `ei-v${from}`, { spec: { image: engine(from) }, status: { state: "deployed" } }),
    lh("Volume", "pvc-data", {
      spec: { numberOfReplicas: 2, size: "1073741824" },
      status: { robustness: "healthy", currentImage: engine(from) },
    }),
    {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name: "longhorn-manager", namespace: "longhorn-system" },
      spec: {
        selector: { matchLabels: { app: "longhorn-manager" } },
        template: {
          metadata: { labels: { app: "longhorn-manager" } },
          spec: { containers: [{ name: "m", image: `longhornio/longhorn-manager:v${from}` }] },
        },
      },
      status: rolledOut(1),
    } as KubeObject,
  ]);
  startFakeFlux(kube.api, { gitHelmRelease: { namespace: "longhorn-system", name: "longhorn", remote, file: RELEASE } });
  startFakeUpgrades(kube.api, { refuse });
  const checkpoints = new TestCheckpoints(clone);
  const events: EngineEvent[] = [];
  const versions: string[] = [];
  kube.api.control.onChange((change) => {
    const v = (change.object.spec as { chart?: { spec?: { version?: string } } } | undefined)?.chart?.spec?.version;
    if (change.object.kind === "HelmRelease" && v && versions.at(-1) !== v) versions.push(v);
  });
  const run = (to: string) =>
    runInProcess({
      runbook: "longhorn-upgrade",
      args: [to],
      gitops: clone,
      checkpoints,
      env: { ...process.env, KUBECACHEDIR: path.join(dir as string, "kube-cache"), HOME: dir as string },
      onEvent: (e) => {
        events.push(e);
        if (process.env.DEBUG_RUNBOOK && e.type === "step") console.error(e.step, e.state, e.reason ?? "");
      },
    });
  const client = kube.api.client("test");
  return {
    run,
    checkpoints,
    events,
    versions,
    remote,
    setting: () =>
      (client.resource("longhorn.io/v1beta2", "Setting").get("current-longhorn-version", "longhorn-system") as { value?: string }).value,
  };
}

describe("longhorn-upgrade", () => {
  it("goes minor by minor to the newest patch of each, a Git commit per hop before Flux applies it, engines upgraded", async () => {
    const lab = await upgradeLab("1.7.2");
    const result = await lab.run("1.9.2");
    expect(result.exitCode, JSON.stringify(result.reason)).toBe(0);
    expect(lab.setting()).toBe("v1.9.2");
    // Flux applied exactly the hops, in order: never a skip, never 1.7.0.
    expect(lab.versions).toEqual(["1.7.2", "1.8.2", "1.9.2"]);
    expect(atRemote(lab.remote, RELEASE)).toMatch(/version: 1\.9\.2/);
    // Git never named anything else either (no patch hop within 1.7, where Longhorn already was).
    const inGit = execFileSync("git", ["--git-dir", lab.remote, "log", "--format=%H", "main", "--", RELEASE], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map(
        (c) => /version: (\S+)/.exec(execFileSync("git", ["--git-dir", lab.remote, "show", `${c}:${RELEASE}`], { encoding: "utf8" }))?.[1],
      );
    expect(inGit).toEqual(["1.9.2", "1.8.2", "1.7.2"]);
    const hops = lab.checkpoints.commits.filter((c) => c.files.includes(RELEASE)).map((c) => c.stage);
    expect(hops).toEqual(["git-1-8", "git-1-9"]);
    // A hop's Git commit comes before its roll stage asks Flux to apply it.
    const order = lab.events.flatMap((e) =>
      e.type === "checkpoint"
        ? [`commit ${e.stage}`]
        : e.type === "step" && e.state === "running" && e.step.endsWith(".apply")
          ? [`apply ${e.step}`]
          : [],
    );
    expect(order.indexOf("commit git-1-8")).toBeLessThan(order.indexOf("apply roll-1-8.apply"));
    expect(order.indexOf("commit git-1-9")).toBeLessThan(order.indexOf("apply roll-1-9.apply"));
  }, 300_000);

  it("a hop the pre-upgrade check refuses puts Git back to the running version and stops", async () => {
    const lab = await upgradeLab("1.8.2", ["1.9.2"]);
    const result = await lab.run("1.9.2");
    expect(result.exitCode).toBe(1);
    expect(result.reason).toContain("Longhorn refused the upgrade to v1.9.2: failed to upgrade since upgrading from v1.8.2 to v1.9.2");
    expect(lab.setting()).toBe("v1.8.2");
    expect(atRemote(lab.remote, RELEASE)).toMatch(/version: 1\.8\.2/);
  }, 300_000);

  it("refuses a downgrade before anything changes", async () => {
    const lab = await upgradeLab("1.8.2");
    const result = await lab.run("1.7.3");
    expect(result.exitCode).toBe(3);
    expect(result.reason).toContain("1.7.3 would be a downgrade");
    expect(lab.checkpoints.commits).toEqual([]);
  }, 120_000);
});
