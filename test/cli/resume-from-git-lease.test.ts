// `recover resume --from-git` and the cluster lease: the run's own lease, held from the lost
// machine, is taken over from another host only once it ran out (that machine may still be
// running). Real CLI, real git with a bare remote, the real kubectl against the kube-api emulator.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxPerTest } from "../checkpoint/git-sandbox.js";
import { STORAGE } from "../checkpoint/plans.js";
import { runCliAsync } from "../helpers/cli.js";
import { startTestKubeApi, type TestKubeApi } from "../helpers/kube-api.js";

let kube: TestKubeApi;
beforeAll(async () => {
  kube = await startTestKubeApi();
}, 30_000);
afterAll(async () => {
  await kube?.close();
});
const newSandbox = sandboxPerTest();

describe("recover resume --from-git and the run's lease", () => {
  it("refuses the run's live lease held from another host (exit 4, when it runs out), takes it over once expired", async () => {
    // Without the fixture's inventory: the kubectl target is the emulator's kubeconfig as it is.
    const storage = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: storage}\nspec:\n  suspend: false\n";
    const sb = newSandbox({ fixture: false, files: { [STORAGE]: storage } });
    const crashed = path.join(sb.root, "crashed");
    const runbook = path.join(sb.root, "lease-git.yaml");
    writeFileSync(
      runbook,
      `apiVersion: recover/v1
kind: Runbook
metadata: {name: lease-git}
summary: Git first, then the machine is lost
targets:
  cluster: {kubectl: {kubeconfig: ${kube.kubeconfig}}}
  here: {local: {}}
stages:
  - id: suspend
    checkpoint: {push: true}
    steps:
      - {id: look, kubectl: [get, namespaces]}
      - {id: suspend-storage, needs: [look], edit: {file: ${STORAGE}, set: {spec.suspend: true}}}
  - id: lost
    checkpoint: false
    steps:
      - id: die
        on: here
        skipIf: {local: [test, -e, ${crashed}], expect: "result.exitCode == 0"}
        local: [sh, -c, 'touch ${crashed} && kill -9 $PPID']
`,
    );
    let caches = 0;
    const recover = (args: string[], state: string) =>
      runCliAsync(args, {
        env: { ...sb.env, XDG_STATE_HOME: path.join(sb.root, state), KUBECACHEDIR: path.join(sb.root, `cache-${++caches}`) },
      });
    const lost = await recover([runbook, "--gitops", sb.work, "--yes", "-o", "plain"], "lost-state");
    expect(lost.code).not.toBe(0); // killed
    const runId = /^recover lease-git: run (\S+)/.exec(lost.stdout)?.[1] as string;
    expect(runId).toBeTruthy();

    const kubectl = await kube.kubectl();
    const setHolder = async (holder: string, renewTime: string) => {
      const leases = JSON.parse((await kubectl(["get", "leases", "-n", "kube-system", "-o", "json"])).stdout) as {
        items: { metadata: Record<string, unknown>; spec: Record<string, unknown> }[];
      };
      const lease = leases.items.find((l) => String(l.spec.holderIdentity).endsWith(`/${runId}`));
      if (!lease) throw new Error(`no lease of run ${runId}`);
      lease.spec = { ...lease.spec, holderIdentity: holder, renewTime };
      expect((await kubectl(["replace", "-f", "-"], { input: JSON.stringify(lease) })).code).toBe(0);
      return lease.metadata.name as string;
    };
    const fresh = sb.clone("spare-machine");
    const live = new Date().toISOString().replace(/Z$/, "000Z");
    const name = await setHolder(`lost-laptop/4242/${runId}`, live);
    const refused = await recover(["resume", "--from-git", "--gitops", fresh, "--yes", "-o", "plain"], "spare-state");
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(`is locked by lost-laptop/4242/${runId}`);
    expect(refused.stderr).toContain("it is this run on lost-laptop: if that machine is gone, its lease runs out at ");

    await setHolder(`lost-laptop/4242/${runId}`, "2020-01-01T00:00:00.000000Z");
    const resumed = await recover(["resume", "--from-git", "--gitops", fresh, "--yes", "-o", "plain"], "spare-state");
    expect(resumed.stderr).toContain(`taking over the expired lease ${name} of lost-laptop/4242/${runId}`);
    expect(resumed.code).toBe(0);
  });
});
