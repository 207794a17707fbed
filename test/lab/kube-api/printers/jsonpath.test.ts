import { describe, expect, it } from "vitest";
import { evaluatePrinterPath, findAll, JsonPathSyntaxError, parsePrinterPath } from "../../../../src/lab/kube-api/printers/jsonpath.js";

const node = {
  apiVersion: "longhorn.io/v1beta2",
  kind: "Node",
  metadata: {
    name: "k3s1",
    creationTimestamp: "2025-01-02T03:04:05Z",
    labels: { "app.kubernetes.io/name": "longhorn", "kubernetes.io/hostname": "k3s1" },
  },
  spec: { nodeID: "k3s1", allowScheduling: true, disks: { "disk-1": { path: "/var/lib/longhorn", tags: ["ssd", "fast"] } } },
  status: {
    conditions: [
      { type: "Ready", status: "True", message: "Node k3s1 is ready", lastProbeTime: "", count: 3 },
      { type: "Schedulable", status: "False", message: "disk pressure", count: 1 },
    ],
    replicas: [1, 2, 3, 4, 5],
  },
};

describe("evaluatePrinterPath", () => {
  it.each([
    [".spec.nodeID", "k3s1"],
    [".metadata.creationTimestamp", "2025-01-02T03:04:05Z"],
    [".spec.allowScheduling", true],
    ['.status.conditions[?(@.type=="Ready")].status', "True"],
    [".status.conditions[?(@.type=='Schedulable')].status", "False"],
    ['.status.conditions[?(@.type=="Ready")].message', "Node k3s1 is ready"],
    ['.status.conditions[?(@.type != "Ready")].type', "Schedulable"],
    [".status.conditions[?(@.count < 2)].type", "Schedulable"],
    [".status.conditions[?(@.count >= 3)].type", "Ready"],
    [".status.conditions[?(@.message)].type", "Ready"],
    [".status.conditions[0].type", "Ready"],
    [".status.conditions[-1].type", "Schedulable"],
    [".status.conditions[*].type", "Ready"],
    [".status.replicas[1:3]", 2],
    [".metadata.labels['app.kubernetes.io/name']", "longhorn"],
    ['.metadata.labels["kubernetes.io/hostname"]', "k3s1"],
    [".metadata.labels.app\\.kubernetes\\.io/name", "longhorn"],
    [".spec.disks['disk-1'].path", "/var/lib/longhorn"],
    [".spec.disks.*.tags[0]", "ssd"],
    ["..path", "/var/lib/longhorn"],
    ["{.spec.nodeID}", "k3s1"],
    ["$.spec.nodeID", "k3s1"],
  ])("%s → %j", (path, expected) => {
    expect(evaluatePrinterPath(node, path)).toEqual(expected);
  });

  it("reads Longhorn's old map-style conditions with bracket keys", () => {
    const old = { status: { conditions: { Ready: { status: "True" } } } };
    expect(evaluatePrinterPath(old, ".status.conditions['Ready']['status']")).toBe("True");
  });

  it.each([
    [".spec.missing"],
    [".status.conditions[?(@.type=='Gone')].status"],
    [".status.conditions[9].type"],
    [".spec.nodeID.deeper"],
    [".status.conditions[?(@.count == 'three')].type"],
    [".spec[?(@.x"],
  ])("%s → undefined", (path) => {
    expect(evaluatePrinterPath(node, path)).toBeUndefined();
  });

  it("returns falsy values rather than losing them", () => {
    expect(evaluatePrinterPath({ a: { n: 0, b: false, s: "" } }, ".a.n")).toBe(0);
    expect(evaluatePrinterPath({ a: { n: 0, b: false, s: "" } }, ".a.b")).toBe(false);
    expect(evaluatePrinterPath({ a: { n: 0, b: false, s: "" } }, ".a.s")).toBe("");
  });
});

describe("findAll", () => {
  it("returns every selected value in document order", () => {
    expect(findAll(node, ".status.conditions[*].type")).toEqual(["Ready", "Schedulable"]);
    expect(findAll(node, ".status.replicas[::2]")).toEqual([1, 3, 5]);
    expect(findAll(node, ".status.replicas[-2:]")).toEqual([4, 5]);
    expect(findAll(node, ".metadata.labels['app.kubernetes.io/name','kubernetes.io/hostname']")).toEqual(["longhorn", "k3s1"]);
  });

  it("throws a syntax error that says where", () => {
    expect(() => findAll(node, ".spec[?(@.x")).toThrow(JsonPathSyntaxError);
  });
});

describe("parsePrinterPath", () => {
  it("parses the printer paths of the lab's CRDs into segments", () => {
    expect(parsePrinterPath('.status.conditions[?(@.type=="Ready")].status')).toEqual([
      { kind: "field", names: ["status"] },
      { kind: "field", names: ["conditions"] },
      { kind: "filter", left: [{ kind: "field", names: ["type"] }], op: "==", right: { literal: "Ready" } },
      { kind: "field", names: ["status"] },
    ]);
  });

  it.each([[""], ["spec"], [".spec["], [".spec[abc]"], [".spec['x"], [".spec[?(x == 1)]"], [".a[1:2:3:4]"], ["."]])(
    "rejects %j",
    (path) => {
      let error: unknown;
      try {
        parsePrinterPath(path);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(JsonPathSyntaxError);
      expect((error as JsonPathSyntaxError).path).toBe(path);
    },
  );
});
