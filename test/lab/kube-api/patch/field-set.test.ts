import { describe, expect, it } from "vitest";
import { formatPath, keyElement } from "../../../../src/lab/kube-api/patch/field-path.js";
import { FieldSet } from "../../../../src/lab/kube-api/patch/field-set.js";

// A real managedFields entry (a Deployment created with kubectl create), as the API server wrote it.
const REAL_FIELDS_V1 = {
  "f:metadata": { "f:labels": { ".": {}, "f:app": {} } },
  "f:spec": {
    "f:replicas": {},
    "f:selector": {},
    "f:strategy": { "f:rollingUpdate": { ".": {}, "f:maxSurge": {}, "f:maxUnavailable": {} }, "f:type": {} },
    "f:template": {
      "f:spec": {
        "f:containers": { 'k:{"name":"nginx"}': { ".": {}, "f:image": {}, "f:name": {}, "f:resources": {} } },
        "f:dnsPolicy": {},
      },
    },
  },
};

describe("FieldSet", () => {
  it("decodes and re-encodes real fieldsV1 unchanged", () => {
    const set = FieldSet.fromFieldsV1(REAL_FIELDS_V1);
    expect(set.toFieldsV1()).toEqual(REAL_FIELDS_V1);
    expect(set.has(["f:metadata", "f:labels"])).toBe(true);
    expect(set.has(["f:spec"])).toBe(false);
    expect(set.has(["f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}', "f:image"])).toBe(true);
  });

  it("encodes `.` first and orders fields before keyed items, values and indexes", () => {
    const set = FieldSet.of([["f:b"], ["f:a", 'v:"x"'], ["f:a"], ["f:a", 'k:{"k":1}'], ["f:a", "f:z"], ["f:a", "i:2"]]);
    expect(JSON.stringify(set.toFieldsV1())).toBe('{"f:a":{".":{},"f:z":{},"k:{\\"k\\":1}":{},"v:\\"x\\"":{},"i:2":{}},"f:b":{}}');
  });

  it("iterates leaves of a level before its subtrees, as structured-merge-diff does", () => {
    const set = FieldSet.of([
      ["f:spec", "f:b", "f:c"],
      ["f:spec", "f:z"],
      ["f:spec", "f:a"],
    ]);
    expect(set.paths().map(formatPath)).toEqual([".spec.a", ".spec.z", ".spec.b.c"]);
  });

  it("does set algebra on paths", () => {
    const a = FieldSet.of([["f:x"], ["f:y"]]);
    const b = FieldSet.of([["f:y"], ["f:z"]]);
    expect(a.union(b).paths().map(formatPath)).toEqual([".x", ".y", ".z"]);
    expect(a.difference(b).paths().map(formatPath)).toEqual([".x"]);
    expect(a.intersection(b).paths().map(formatPath)).toEqual([".y"]);
    expect(FieldSet.of([["f:a", "f:b"]]).coversAnyOf(["f:a"])).toBe(true);
    expect(FieldSet.of([["f:a"]]).coversAnyOf(["f:a", "f:b"])).toBe(false);
  });
});

describe("field paths", () => {
  it("prints paths as conflict messages do", () => {
    expect(formatPath(["f:spec", "f:template", "f:spec", "f:containers", 'k:{"name":"nginx"}', "f:image"])).toBe(
      '.spec.template.spec.containers[name="nginx"].image',
    );
    expect(formatPath(["f:spec", "f:ports", 'k:{"port":80,"protocol":"TCP"}'])).toBe('.spec.ports[port=80,protocol="TCP"]');
    expect(formatPath(["f:metadata", "f:finalizers", 'v:"longhorn.io"'])).toBe('.metadata.finalizers[="longhorn.io"]');
    expect(formatPath(["f:args", "i:0"])).toBe(".args[0]");
  });

  it("keys items by the key fields they have, in name order", () => {
    expect(keyElement({ protocol: "TCP", containerPort: 80, name: "http" }, ["containerPort", "protocol"], 0)).toBe(
      'k:{"containerPort":80,"protocol":"TCP"}',
    );
    expect(keyElement({ containerPort: 80 }, ["containerPort", "protocol"], 0)).toBe('k:{"containerPort":80}');
    expect(keyElement({ image: "x" }, ["name"], 3)).toBe("i:3");
  });
});
