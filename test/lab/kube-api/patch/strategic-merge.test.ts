import { describe, expect, it } from "vitest";
import { strategicMergePatch } from "../../../../src/lab/kube-api/patch/index.js";
import { deepFreeze } from "../../../../src/lab/kube-api/patch/json-value.js";
import { ApiError } from "../../../../src/lab/kube-api/status.js";
import type { KubeObject } from "../../../../src/lab/kube-api/types.js";

const POD = { apiVersion: "v1", kind: "Pod" };
const NODE = { apiVersion: "v1", kind: "Node" };

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): KubeObject {
  return { ...POD, metadata: { name: "p", namespace: "default", ...metadata }, spec };
}

function patchPod(target: KubeObject, patch: Record<string, unknown>): KubeObject {
  return strategicMergePatch(deepFreeze(target), deepFreeze(patch), POD);
}

function failure(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the patch applied");
}

/** No `$` directive key anywhere in a value. */
function directives(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => directives(v, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) => (k.startsWith("$") ? [`${path}.${k}`] : directives(v, `${path}.${k}`)));
}

// The cases of k8s.io/apimachinery strategicpatch's testCaseData, on real Pod fields:
// mergingList → spec.containers (merge key name), nonMergingList → spec.tolerations (atomic),
// mergingIntList → metadata.finalizers (merged set), simpleMap → metadata.labels.
const CASES: [string, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>][] = [
  ["add new field", { hostname: "a" }, { subdomain: "s" }, { hostname: "a", subdomain: "s" }],
  ["remove field and add new field", { hostname: "a" }, { hostname: null, subdomain: "s" }, { subdomain: "s" }],
  [
    "replace arrays of scalars that are not merged",
    { tolerations: [{ key: "a" }, { key: "b" }] },
    { tolerations: [{ key: "c" }] },
    { tolerations: [{ key: "c" }] },
  ],
  [
    "update an item of a merged list that had an item added server-side",
    {
      containers: [
        { name: "a", image: "1" },
        { name: "b", image: "2" },
      ],
    },
    { containers: [{ name: "a", image: "x" }] },
    {
      containers: [
        { name: "a", image: "x" },
        { name: "b", image: "2" },
      ],
    },
  ],
  [
    "update a nested merged list",
    {
      containers: [
        {
          name: "a",
          env: [
            { name: "X", value: "1" },
            { name: "Y", value: "2" },
          ],
        },
        { name: "b" },
      ],
    },
    { containers: [{ name: "a", env: [{ name: "X", value: "9" }] }] },
    {
      containers: [
        {
          name: "a",
          env: [
            { name: "X", value: "9" },
            { name: "Y", value: "2" },
          ],
        },
        { name: "b" },
      ],
    },
  ],
  [
    "replace a nested list that is not merged",
    { containers: [{ name: "a", args: ["--x", "--y"] }] },
    { containers: [{ name: "a", args: ["--z"] }] },
    { containers: [{ name: "a", args: ["--z"] }] },
  ],
  ["replace a map with $patch: replace", { hostname: "a", subdomain: "s" }, { $patch: "replace", subdomain: "t" }, { subdomain: "t" }],
  ["merge empty merge lists", { containers: [] }, { containers: [] }, { containers: [] }],
  [
    "delete an item from a merged list",
    { containers: [{ name: "a" }, { name: "b" }] },
    { containers: [{ $patch: "delete", name: "a" }] },
    { containers: [{ name: "b" }] },
  ],
  [
    "delete every item with $patch: replace",
    { containers: [{ name: "a" }, { name: "b" }] },
    { containers: [{ $patch: "replace" }] },
    { containers: [] },
  ],
  [
    "replace a merged list with $patch: replace",
    { containers: [{ name: "a", image: "1" }, { name: "b" }] },
    { containers: [{ name: "c", image: "3" }, { $patch: "replace" }] },
    { containers: [{ name: "c", image: "3" }] },
  ],
  [
    "delete a map with $patch: delete",
    { securityContext: { runAsUser: 1 } },
    { securityContext: { $patch: "delete" } },
    { securityContext: {} },
  ],
  [
    "merge volumes by name and volumeMounts by mountPath",
    { volumes: [{ name: "data", emptyDir: {} }], containers: [{ name: "a", volumeMounts: [{ mountPath: "/d", name: "data" }] }] },
    {
      volumes: [{ name: "data", hostPath: { path: "/var/lib/longhorn" } }],
      containers: [{ name: "a", volumeMounts: [{ mountPath: "/d", readOnly: true }] }],
    },
    {
      volumes: [{ name: "data", emptyDir: {}, hostPath: { path: "/var/lib/longhorn" } }],
      containers: [{ name: "a", volumeMounts: [{ mountPath: "/d", name: "data", readOnly: true }] }],
    },
  ],
  [
    "merge ports by containerPort",
    { containers: [{ name: "a", ports: [{ containerPort: 80, name: "http" }, { containerPort: 443 }] }] },
    { containers: [{ name: "a", ports: [{ containerPort: 80, protocol: "TCP" }] }] },
    { containers: [{ name: "a", ports: [{ containerPort: 80, name: "http", protocol: "TCP" }, { containerPort: 443 }] }] },
  ],
  [
    "$retainKeys clears the keys it does not list",
    { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1 } } },
    { strategy: { $retainKeys: ["type"], type: "Recreate" } },
    { strategy: { type: "Recreate" } },
  ],
];

describe("strategicMergePatch: the apimachinery cases on Pod fields", () => {
  it.each(CASES)("%s", (_name, spec, patch, expected) => {
    const result = patchPod(pod(spec), { spec: patch });
    expect(result.spec).toEqual(expected);
    expect(directives(result)).toEqual([]);
  });
});

describe("strategicMergePatch: ordering and list directives", () => {
  it("merges finalizers as a set and deletes with $deleteFromPrimitiveList", () => {
    const live = pod({}, { finalizers: ["a", "b", "c"] });
    // Patch items in patch order, interleaved with server-only items by their live positions.
    expect(patchPod(live, { metadata: { finalizers: ["b", "d"] } }).metadata.finalizers).toEqual(["a", "b", "d", "c"]);
    expect(patchPod(live, { metadata: { "$deleteFromPrimitiveList/finalizers": ["b", "zz"] } }).metadata.finalizers).toEqual(["a", "c"]);
  });

  it("puts items new to the live list first, as the real server does without $setElementOrder", () => {
    const live = pod({}, { finalizers: ["a", "b"] });
    expect(patchPod(live, { metadata: { finalizers: ["c"] } }).metadata.finalizers).toEqual(["c", "a", "b"]);
    const containers = patchPod(pod({ containers: [{ name: "a" }, { name: "b" }] }), { spec: { containers: [{ name: "c" }] } }).spec as {
      containers: { name: string }[];
    };
    expect(containers.containers.map((c) => c.name)).toEqual(["c", "a", "b"]);
  });

  it("honours $setElementOrder for a list the patch changes (kubectl apply's patch)", () => {
    const live = pod({
      containers: [
        { name: "a", image: "1" },
        { name: "b", image: "2" },
      ],
    });
    const result = patchPod(live, {
      spec: {
        "$setElementOrder/containers": [{ name: "b" }, { name: "a" }, { name: "c" }],
        containers: [
          { name: "a", image: "9" },
          { name: "c", image: "3" },
        ],
      },
    });
    expect(result.spec).toEqual({
      containers: [
        { name: "b", image: "2" },
        { name: "a", image: "9" },
        { name: "c", image: "3" },
      ],
    });
  });

  it("$setElementOrder and $deleteFromPrimitiveList together keep the wanted order (apimachinery case)", () => {
    const live = pod({}, { finalizers: ["1", "3", "2"] });
    const result = patchPod(live, {
      metadata: { "$setElementOrder/finalizers": ["2", "1"], "$deleteFromPrimitiveList/finalizers": ["3"] },
    });
    expect(result.metadata.finalizers).toEqual(["2", "1"]);
    const withServerOnly = patchPod(pod({}, { finalizers: ["1", "2", "3", "4"] }), {
      metadata: { "$setElementOrder/finalizers": ["1", "2"], "$deleteFromPrimitiveList/finalizers": ["3"] },
    });
    expect(withServerOnly.metadata.finalizers).toEqual(["1", "2", "4"]);
  });

  it("a $setElementOrder whose list is absent from the patch only reorders", () => {
    const live = pod({ containers: [{ name: "a" }, { name: "b" }] });
    expect(patchPod(live, { spec: { "$setElementOrder/containers": [{ name: "b" }, { name: "a" }] } }).spec).toEqual({
      containers: [{ name: "b" }, { name: "a" }],
    });
  });

  it("strips directives from lists and maps that did not exist before", () => {
    const result = patchPod(pod({}), {
      spec: {
        containers: [
          {
            name: "a",
            env: [
              { name: "X", value: "1" },
              { name: "gone", $patch: "delete" },
            ],
          },
          { $patch: "merge", name: "b" },
        ],
        affinity: { $patch: "replace", nodeAffinity: { required: null } },
      },
    });
    expect(result.spec).toEqual({
      containers: [{ name: "a", env: [{ name: "X", value: "1" }] }, { name: "b" }],
      affinity: { nodeAffinity: {} },
    });
    expect(directives(result)).toEqual([]);
  });
});

describe("strategicMergePatch: built-in kinds the lab serves", () => {
  const node: KubeObject = {
    ...NODE,
    metadata: { name: "k3s1", labels: { role: "worker" }, finalizers: ["x"] },
    spec: {
      podCIDRs: ["10.42.0.0/24"],
      taints: [
        { key: "a", effect: "NoSchedule" },
        { key: "b", effect: "NoExecute" },
      ],
    },
    status: {
      conditions: [
        { type: "Ready", status: "True", reason: "KubeletReady" },
        { type: "DiskPressure", status: "False" },
      ],
      addresses: [
        { type: "InternalIP", address: "127.0.0.2" },
        { type: "Hostname", address: "k3s1" },
      ],
    },
  };
  const patchNode = (patch: Record<string, unknown>) => strategicMergePatch(deepFreeze(structuredClone(node)), deepFreeze(patch), NODE);

  it("merges Node conditions and addresses by type", () => {
    const result = patchNode({
      status: {
        conditions: [{ type: "Ready", status: "False", reason: "KubeletNotReady" }],
        addresses: [{ type: "Hostname", address: "k3s1b" }],
      },
    });
    expect(result.status).toEqual({
      conditions: [
        { type: "Ready", status: "False", reason: "KubeletNotReady" },
        { type: "DiskPressure", status: "False" },
      ],
      addresses: [
        { type: "InternalIP", address: "127.0.0.2" },
        { type: "Hostname", address: "k3s1b" },
      ],
    });
  });

  it("replaces Node taints whole (NodeSpec.taints is atomic), so `kubectl taint k3s1 a-` really removes", () => {
    expect(patchNode({ spec: { taints: [{ key: "b", effect: "NoExecute" }] } }).spec).toEqual({
      podCIDRs: ["10.42.0.0/24"],
      taints: [{ key: "b", effect: "NoExecute" }],
    });
    expect(patchNode({ spec: { taints: null } }).spec).toEqual({ podCIDRs: ["10.42.0.0/24"] });
  });

  it("cordons with a plain field and labels with null removal", () => {
    const result = patchNode({
      spec: { unschedulable: true },
      metadata: { labels: { role: null, "node.longhorn.io/create-default-disk": "config" } },
    });
    expect(result.spec).toMatchObject({ unschedulable: true });
    expect(result.metadata.labels).toEqual({ "node.longhorn.io/create-default-disk": "config" });
  });

  it("merges ownerReferences by uid", () => {
    const live = pod({}, { ownerReferences: [{ uid: "1", name: "a", kind: "ReplicaSet" }] });
    const result = patchPod(live, {
      metadata: {
        ownerReferences: [
          { uid: "2", name: "b", kind: "Node" },
          { uid: "1", controller: true },
        ],
      },
    });
    expect(result.metadata.ownerReferences).toEqual([
      { uid: "2", name: "b", kind: "Node" },
      { uid: "1", name: "a", kind: "ReplicaSet", controller: true },
    ]);
  });

  it("a Longhorn Node (a custom kind named Node) merges like a JSON merge patch: lists replaced", () => {
    const lhn: KubeObject = {
      apiVersion: "longhorn.io/v1beta2",
      kind: "Node",
      metadata: { name: "k3s1", finalizers: ["longhorn.io"] },
      status: {
        conditions: [
          { type: "Ready", status: "True" },
          { type: "Schedulable", status: "True" },
        ],
      },
    };
    const result = strategicMergePatch(
      deepFreeze(lhn),
      { metadata: { finalizers: ["other"] }, status: { conditions: [{ type: "Ready", status: "False" }] } },
      lhn,
    );
    expect(result.metadata.finalizers).toEqual(["other"]);
    expect(result.status).toEqual({ conditions: [{ type: "Ready", status: "False" }] });
  });
});

describe("strategicMergePatch: malformed patches", () => {
  const live = pod({ containers: [{ name: "a" }] }, { finalizers: ["x"] });

  it("needs the merge key on every item of a merged list (500 with the library's message, as the real server)", () => {
    const error = failure(() => patchPod(live, { spec: { containers: [{ image: "x" }] } }));
    expect([error.code, error.message]).toEqual([500, "map: map[image:x] does not contain declared merge key: name"]);
  });

  it("rejects malformed directives with the real messages", () => {
    expect(failure(() => patchPod(live, { metadata: { "$deleteFromPrimitiveList/finalizers": "x" } })).message).toBe(
      "invalid patch format of primitive list",
    );
    expect(failure(() => patchPod(live, { spec: { "$setElementOrder/containers": {} } })).message).toBe(
      "invalid patch format of setElementOrder list",
    );
    const retain = failure(() => patchPod(live, { spec: { $retainKeys: ["hostname"], subdomain: "x" } }));
    expect([retain.code, retain.message]).toEqual([400, "invalid patch format of retainKeys"]);
    expect(failure(() => patchPod(live, { spec: { $patch: "explode" } })).message).toBe(
      "unknown patch type: explode in map: map[$patch:explode]",
    );
    const order = failure(() => patchPod(live, { spec: { "$setElementOrder/containers": [{ name: "b" }], containers: [{ name: "a" }] } }));
    expect([order.code, order.message]).toEqual([
      500,
      "The order in patch list:\n[map[name:a]]\n doesn't match $setElementOrder list:\n[map[name:b]]\n",
    ]);
  });
});
