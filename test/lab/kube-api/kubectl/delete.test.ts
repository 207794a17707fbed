import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWatchOn, startTestKubeApi, type TestKubeApi, waitForRequest } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const ns = ["-n", "longhorn-system"];
const volume = (name: string, finalizers: string[] = []) => ({
  apiVersion: "longhorn.io/v1beta2",
  kind: "Volume",
  metadata: { name, namespace: "longhorn-system", finalizers },
  spec: { numberOfReplicas: 2 },
});

describe("kubectl delete", () => {
  it("deletes an object without finalizers at once", async () => {
    await lab.api.control.load([volume("plain")]);
    const kubectl = await lab.kubectl();
    expect(await kubectl(["delete", "lhv", "plain", ...ns])).toMatchObject({ code: 0, stdout: 'volume.longhorn.io "plain" deleted\n' });
    const gone = await kubectl(["get", "lhv", "plain", ...ns]);
    expect(gone.stderr).toBe('Error from server (NotFound): volumes.longhorn.io "plain" not found\n');
  });

  it("keeps a finalized object, even with --force --grace-period=0, until its finalizers are emptied", async () => {
    await lab.api.control.load([volume("held", ["longhorn.io"])]);
    const kubectl = await lab.kubectl();
    expect((await kubectl(["delete", "lhv", "held", ...ns, "--wait=false"])).stdout).toBe('volume.longhorn.io "held" deleted\n');
    const forced = await kubectl(["delete", "lhv", "held", ...ns, "--force", "--grace-period=0", "--wait=false"]);
    expect(forced.code).toBe(0);
    expect(forced.stderr).toContain("Immediate deletion does not wait for confirmation");
    const still = await kubectl(["get", "lhv", "held", ...ns, "-o", "jsonpath={.metadata.deletionTimestamp} {.metadata.finalizers}"]);
    expect(still.stdout).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \["longhorn.io"\]$/);

    lab.api.control.clearRequests();
    const waiting = kubectl(["wait", "--for=delete", "lhv/held", ...ns, "--timeout=20s"]);
    await waitForRequest(lab.api, isWatchOn("/volumes"));
    const patched = await kubectl(["patch", "lhv", "held", ...ns, "--type=merge", "-p", '{"metadata":{"finalizers":null}}']);
    expect(patched.code).toBe(0);
    const waited = await waiting;
    expect(waited.code).toBe(0);
    expect(waited.stdout).toBe("volume.longhorn.io/held condition met\n");
    expect((await kubectl(["get", "lhv", "held", ...ns])).code).toBe(1);
  });

  it("bumps the generation once when it marks a finalized object for deletion, as the real server does", async () => {
    await lab.api.control.load([volume("marked", ["longhorn.io"])]);
    const kubectl = await lab.kubectl();
    const generation = async () => (await kubectl(["get", "lhv", "marked", ...ns, "-o", "jsonpath={.metadata.generation}"])).stdout;
    expect(await generation()).toBe("1");
    await kubectl(["delete", "lhv", "marked", ...ns, "--wait=false"]);
    expect(await generation()).toBe("2");
    await kubectl(["delete", "lhv", "marked", ...ns, "--wait=false"]);
    expect(await generation()).toBe("2");
  });

  it("waits for a delete that the finalizer's owner completes later", async () => {
    await lab.api.control.load([volume("slow", ["longhorn.io"])]);
    const kubectl = await lab.kubectl();
    const type = lab.api.registry.lookup("longhorn.io", "v1beta2", "volumes");
    if (!type) throw new Error("no volumes type");
    // A stand-in for longhorn-manager: drop the finalizer once the volume is being deleted.
    const off = lab.api.control.onChange((change) => {
      if (change.resource.resource !== "volumes" || change.object.metadata.name !== "slow" || !change.object.metadata.deletionTimestamp)
        return;
      setTimeout(() => {
        const live = lab.api.store.tryGet(type, "longhorn-system", "slow");
        if (live?.metadata.finalizers?.length)
          lab.api.store.update(type, "longhorn-system", "slow", { ...live, metadata: { ...live.metadata, finalizers: [] } });
      }, 200);
    });
    try {
      const result = await kubectl(["delete", "lhv", "slow", ...ns, "--timeout=20s"]);
      expect(result).toMatchObject({ code: 0, stdout: 'volume.longhorn.io "slow" deleted\n' });
      expect(lab.api.store.tryGet(type, "longhorn-system", "slow")).toBeUndefined();
    } finally {
      off();
    }
  });

  it("says an absent object is not found, and wait --for=delete on it succeeds", async () => {
    const kubectl = await lab.kubectl();
    const missing = await kubectl(["delete", "lhv", "never", ...ns]);
    expect(missing).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): volumes.longhorn.io "never" not found\n' });
    expect((await kubectl(["wait", "--for=delete", "lhv/never", ...ns, "--timeout=5s"])).code).toBe(0);
  });
});

describe("server-side dry runs", () => {
  it("answers create, patch, apply and delete with --dry-run=server and persists nothing", async () => {
    await lab.api.control.load([volume("kept")]);
    const kubectl = await lab.kubectl();
    expect((await kubectl(["create", "configmap", "phantom", "--dry-run=server", "-o", "name"])).stdout).toBe("configmap/phantom\n");
    expect((await kubectl(["get", "cm", "phantom"])).code).toBe(1);
    const patched = await kubectl([
      "patch",
      "lhv",
      "kept",
      ...ns,
      "--type=merge",
      "-p",
      '{"spec":{"numberOfReplicas":1}}',
      "--dry-run=server",
      "-o",
      "jsonpath={.spec.numberOfReplicas}",
    ]);
    expect(patched.stdout).toBe("1");
    expect((await kubectl(["get", "lhv", "kept", ...ns, "-o", "jsonpath={.spec.numberOfReplicas}"])).stdout).toBe("2");
    const applied = await kubectl(["apply", "--server-side", "--dry-run=server", "-f", "-"], {
      input: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ghost}\n",
    });
    expect(applied.stdout).toBe("configmap/ghost serverside-applied (server dry run)\n");
    expect((await kubectl(["get", "cm", "ghost"])).code).toBe(1);
    expect((await kubectl(["delete", "lhv", "kept", ...ns, "--dry-run=server"])).stdout).toBe(
      'volume.longhorn.io "kept" deleted (server dry run)\n',
    );
    expect((await kubectl(["get", "lhv", "kept", ...ns, "-o", "name"])).stdout).toBe("volume.longhorn.io/kept\n");
  });
});
