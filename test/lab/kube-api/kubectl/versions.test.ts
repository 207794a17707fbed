import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kubectlMinor, startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const configMap = (minor: number, value: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: probe-${minor}, namespace: default}
data: {stage: "${value}"}
`;

// The README claims kubectl 1.27–1.33; 1.27 and 1.28 need /openapi/v2 (protobuf) before they write anything.
describe.each([27, 28, 29, 30, 31, 32, 33])("kubectl 1.%i", (minor) => {
  it("creates, applies and diffs; explain says the schemas are missing, as the README says", async () => {
    const kubectl = await lab.kubectl();
    const binary = kubectlMinor(minor);
    const run = (args: string[], input = "") => kubectl(args, { binary, input });
    expect(await run(["create", "-f", "-"], configMap(minor, "one"))).toMatchObject({
      code: 0,
      stdout: `configmap/probe-${minor} created\n`,
    });
    expect((await run(["apply", "-f", "-"], configMap(minor, "two"))).stdout).toBe(`configmap/probe-${minor} configured\n`);
    const diff = await run(["diff", "-f", "-"], configMap(minor, "three"));
    expect(diff.code).toBe(1); // kubectl diff: 1 means "differences found"
    expect(diff.stdout).toContain("-  stage: two\n+  stage: three\n");
    // The published OpenAPI has no schemas (validation is the server's), so explain has nothing to show.
    const explained = await run(["explain", "configmaps"]);
    expect(explained.code).toBe(1);
    expect(explained.stderr).toContain("error: GVK map[group: kind:ConfigMap version:v1] not found in OpenAPI schema");
  });
});
