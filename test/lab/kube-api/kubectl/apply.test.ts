import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestKubeApi, type TestKubeApi } from "../../../helpers/kube-api.js";

let lab: TestKubeApi;
beforeAll(async () => {
  lab = await startTestKubeApi();
});
afterAll(async () => {
  await lab?.close();
});

const setting = (value: string) => `apiVersion: longhorn.io/v1beta2
kind: Setting
metadata:
  name: deleting-confirmation-flag
  namespace: longhorn-system
value: "${value}"
`;

const configmap = (value: string) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: recover-state
  namespace: default
data:
  stage: "${value}"
`;

describe("kubectl apply (client-side)", () => {
  it("creates, updates and leaves unchanged a custom resource", async () => {
    const kubectl = await lab.kubectl();
    await lab.api.control.load([{ apiVersion: "v1", kind: "Namespace", metadata: { name: "longhorn-system" } }]);
    expect(await kubectl(["apply", "-f", "-"], { input: setting("false") })).toMatchObject({
      code: 0,
      stdout: "setting.longhorn.io/deleting-confirmation-flag created\n",
    });
    expect((await kubectl(["apply", "-f", "-"], { input: setting("false") })).stdout).toBe(
      "setting.longhorn.io/deleting-confirmation-flag unchanged\n",
    );
    expect((await kubectl(["apply", "-f", "-"], { input: setting("true") })).stdout).toBe(
      "setting.longhorn.io/deleting-confirmation-flag configured\n",
    );
    const value = await kubectl(["-n", "longhorn-system", "get", "lhs", "deleting-confirmation-flag", "-o", "jsonpath={.value}"]);
    expect(value.stdout).toBe("true");
  });

  it("creates and updates a built-in object (strategic patch on update)", async () => {
    const kubectl = await lab.kubectl();
    expect((await kubectl(["apply", "-f", "-"], { input: configmap("1") })).stdout).toBe("configmap/recover-state created\n");
    expect((await kubectl(["apply", "-f", "-"], { input: configmap("2") })).stdout).toBe("configmap/recover-state configured\n");
    expect((await kubectl(["apply", "-f", "-"], { input: configmap("2") })).stdout).toBe("configmap/recover-state unchanged\n");
    expect((await kubectl(["get", "cm", "recover-state", "-o", "jsonpath={.data.stage}"])).stdout).toBe("2");
  });

  it("refuses an object for a namespace that does not exist", async () => {
    const kubectl = await lab.kubectl();
    const result = await kubectl(["apply", "-f", "-"], { input: configmap("1").replace("namespace: default", "namespace: ghost") });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('namespaces "ghost" not found');
  });
});

describe("kubectl apply --server-side", () => {
  it("creates, updates and re-applies, recording the field manager", async () => {
    const kubectl = await lab.kubectl();
    const input = configmap("a").replace("recover-state", "ssa");
    expect((await kubectl(["apply", "--server-side", "-f", "-"], { input })).stdout).toBe("configmap/ssa serverside-applied\n");
    const first = JSON.parse((await kubectl(["get", "cm", "ssa", "-o", "json", "--show-managed-fields"])).stdout);
    expect(first.metadata.managedFields).toContainEqual(expect.objectContaining({ manager: "kubectl", operation: "Apply" }));
    expect((await kubectl(["apply", "--server-side", "-f", "-"], { input })).stdout).toBe("configmap/ssa serverside-applied\n");
    const same = JSON.parse((await kubectl(["get", "cm", "ssa", "-o", "json"])).stdout);
    expect(same.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    await kubectl(["apply", "--server-side", "-f", "-"], { input: input.replace('"a"', '"b"') });
    expect((await kubectl(["get", "cm", "ssa", "-o", "jsonpath={.data.stage}"])).stdout).toBe("b");
  });

  it("reports a conflict with another manager unless forced", async () => {
    const kubectl = await lab.kubectl();
    const input = configmap("x").replace("recover-state", "contested");
    await kubectl(["apply", "--server-side", "--field-manager=flux", "-f", "-"], { input });
    const conflict = await kubectl(["apply", "--server-side", "-f", "-"], { input: input.replace('"x"', '"y"') });
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/conflict with "flux"/);
    const forced = await kubectl(["apply", "--server-side", "--force-conflicts", "-f", "-"], { input: input.replace('"x"', '"y"') });
    expect(forced.stdout).toBe("configmap/contested serverside-applied\n");
    expect((await kubectl(["get", "cm", "contested", "-o", "jsonpath={.data.stage}"])).stdout).toBe("y");
  });
});
