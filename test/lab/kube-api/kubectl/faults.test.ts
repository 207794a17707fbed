import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterEach(() => {
  lab.api.control.clearFaults();
});
afterAll(async () => {
  await lab?.close();
});

const list = "/api/v1/namespaces/default/configmaps";

describe("injected faults as kubectl sees them", () => {
  it("prints an injected 500 as the server's InternalError", async () => {
    const kubectl = await lab.kubectl();
    await kubectl(["get", "cm"]); // warm the discovery cache so the fault hits the list
    lab.api.control.inject({ path: list, status: 500, message: "Internal error occurred: etcdserver: request timed out" });
    const result = await kubectl(["get", "cm"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("Error from server (InternalError): Internal error occurred: etcdserver: request timed out\n");
    expect((await kubectl(["get", "cm"])).code).toBe(0);
  });

  it("a hung request ends at kubectl's --request-timeout", async () => {
    const kubectl = await lab.kubectl();
    await kubectl(["get", "cm"]);
    const fault = lab.api.control.inject({ path: list, hang: true });
    const result = await kubectl(["get", "cm", "--request-timeout=1s"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Client\.Timeout exceeded|context deadline exceeded|timeout/i);
    expect(fault.remaining()).toBe(0);
    expect(lab.api.control.requests().some((r) => r.path === list && r.fault === "hang" && r.status === 0)).toBe(true);
  });

  it("a dropped connection is an error for kubectl, and the next call works", async () => {
    const kubectl = await lab.kubectl();
    await lab.api.control.load([{ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "target", namespace: "default" } }]);
    // client-go retries a GET on a reset connection, but not a PATCH.
    lab.api.control.inject({ method: "PATCH", path: `${list}/target`, drop: true });
    const patch = ["patch", "cm", "target", "--type=merge", "-p", '{"data":{"a":"b"}}'];
    const result = await kubectl(patch);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/EOF|connection reset/);
    expect((await kubectl(patch)).stdout).toBe("configmap/target patched\n");
  });
});
