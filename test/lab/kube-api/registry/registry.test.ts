import { describe, expect, it } from "vitest";
import { versionInfo } from "../../../../src/lab/kube-api/discovery/version.js";
import { builtinTypes } from "../../../../src/lab/kube-api/registry/builtins.js";
import { compareGroups, compareVersions } from "../../../../src/lab/kube-api/registry/order.js";
import { parseApiVersion, Registry } from "../../../../src/lab/kube-api/registry/registry.js";
import type { ResourceType } from "../../../../src/lab/kube-api/types.js";
import { labRegistry } from "../lab-crds.js";

function customType(overrides: Partial<ResourceType>): ResourceType {
  return {
    group: "example.com",
    version: "v1",
    versions: ["v1"],
    resource: "widgets",
    singular: "widget",
    kind: "Widget",
    listKind: "WidgetList",
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: ["get", "list"],
    subresources: { status: false },
    printerColumns: [],
    fieldSelectors: [],
    custom: true,
    ...overrides,
  };
}

describe("versionInfo", () => {
  it("claims Kubernetes 1.32 with every field the real /version sends", () => {
    const info = versionInfo();
    expect(info).toMatchObject({ major: "1", minor: "32", compiler: "gc", platform: "linux/amd64", gitTreeState: "clean" });
    expect(info.gitVersion).toMatch(/^v1\.32\.\d+/);
    expect(Object.keys(info).sort()).toEqual(
      ["buildDate", "compiler", "gitCommit", "gitTreeState", "gitVersion", "goVersion", "major", "minor", "platform"].sort(),
    );
  });
});

describe("builtinTypes", () => {
  const byKey = new Map(builtinTypes().map((t) => [`${t.resource}.${t.group}`, t]));

  it.each([
    ["namespaces.", false, ["ns"], [], true],
    ["nodes.", false, ["no"], [], true],
    ["pods.", true, ["po"], ["all"], true],
    ["persistentvolumes.", false, ["pv"], [], true],
    ["persistentvolumeclaims.", true, ["pvc"], [], true],
    ["events.", true, ["ev"], [], false],
    ["configmaps.", true, ["cm"], [], false],
    ["secrets.", true, [], [], false],
    ["events.events.k8s.io", true, ["ev"], [], false],
    ["volumeattachments.storage.k8s.io", false, [], [], true],
    ["leases.coordination.k8s.io", true, [], [], false],
    ["daemonsets.apps", true, ["ds"], ["all"], true],
    ["statefulsets.apps", true, ["sts"], ["all"], true],
    ["poddisruptionbudgets.policy", true, ["pdb"], [], true],
    ["customresourcedefinitions.apiextensions.k8s.io", false, ["crd", "crds"], ["api-extensions"], true],
  ])("%s: namespaced %s, short names %j, categories %j, status %s", (key, namespaced, shortNames, categories, status) => {
    const type = byKey.get(key);
    expect(type).toBeDefined();
    expect(type).toMatchObject({
      namespaced,
      shortNames,
      categories,
      subresources: { status },
      custom: false,
      version: "v1",
      versions: ["v1"],
    });
    expect(type?.verbs).toEqual(expect.arrayContaining(["create", "delete", "get", "list", "patch", "update", "watch"]));
  });

  it("serves exactly the types the runbooks touch", () => {
    expect(byKey.size).toBe(15);
  });

  it("lets pods be selected by node and phase", () => {
    expect(byKey.get("pods.")?.fieldSelectors).toEqual(expect.arrayContaining(["spec.nodeName", "status.phase"]));
  });

  it("names kinds and lists like the real API", () => {
    expect(byKey.get("persistentvolumeclaims.")).toMatchObject({
      kind: "PersistentVolumeClaim",
      listKind: "PersistentVolumeClaimList",
      singular: "persistentvolumeclaim",
    });
  });

  it("does not let namespaces be deleted as a collection", () => {
    expect(byKey.get("namespaces.")?.verbs).not.toContain("deletecollection");
    expect(byKey.get("nodes.")?.verbs).toContain("deletecollection");
  });

  it("hands out a fresh copy each time", () => {
    const first = builtinTypes();
    first[0]?.shortNames.push("mutated");
    expect(builtinTypes()[0]?.shortNames).not.toContain("mutated");
  });
});

describe("Registry", () => {
  it("starts with the built-ins", () => {
    expect(new Registry().all().map((t) => `${t.resource}.${t.group}`)).toEqual(builtinTypes().map((t) => `${t.resource}.${t.group}`));
  });

  it("looks types up by URL parts, only at a served version", () => {
    const registry = labRegistry();
    expect(registry.lookup("", "v1", "pods")?.kind).toBe("Pod");
    expect(registry.lookup("longhorn.io", "v1beta2", "nodes")?.shortNames).toEqual(["lhn"]);
    expect(registry.lookup("longhorn.io", "v1beta1", "nodes")).toBeUndefined();
    expect(registry.lookup("", "v2", "pods")).toBeUndefined();
    expect(registry.lookup("", "v1", "nope")).toBeUndefined();
  });

  it("tells core nodes from Longhorn nodes by apiVersion and kind", () => {
    const registry = labRegistry();
    expect(registry.byKind("v1", "Node")).toMatchObject({ group: "", resource: "nodes", custom: false });
    expect(registry.byKind("longhorn.io/v1beta2", "Node")).toMatchObject({ group: "longhorn.io", resource: "nodes", custom: true });
    expect(registry.byKind("longhorn.io/v1beta1", "Node")).toBeUndefined();
    expect(registry.byKind("storage.k8s.io/v1", "VolumeAttachment")?.namespaced).toBe(false);
    expect(registry.byKind("v1", "Nope")).toBeUndefined();
  });

  it("replaces a type with the same group and plural instead of adding a second", () => {
    const registry = new Registry([]);
    registry.add(customType({ shortNames: ["w"] }));
    registry.add(customType({ shortNames: ["wd"] }));
    expect(registry.all()).toHaveLength(1);
    expect(registry.lookup("example.com", "v1", "widgets")?.shortNames).toEqual(["wd"]);
  });

  it("changes its generation on every add and remove, not on a no-op remove", () => {
    const registry = new Registry([]);
    const start = registry.generation();
    registry.add(customType({}));
    const added = registry.generation();
    registry.remove("example.com", "nothing");
    expect(registry.generation()).toBe(added);
    registry.remove("example.com", "widgets");
    expect(added).not.toBe(start);
    expect(registry.generation()).not.toBe(added);
    expect(registry.lookup("example.com", "v1", "widgets")).toBeUndefined();
  });

  it("lists groups in the real server's priority order, the core group first", () => {
    expect(
      labRegistry()
        .groups()
        .map((g) => g.name),
    ).toEqual([
      "",
      "apps",
      "events.k8s.io",
      "policy",
      "storage.k8s.io",
      "apiextensions.k8s.io",
      "coordination.k8s.io",
      "helm.toolkit.fluxcd.io",
      "kustomize.toolkit.fluxcd.io",
      "longhorn.io",
      "source.toolkit.fluxcd.io",
    ]);
  });

  it("lists a group's served versions preferred first", () => {
    const registry = new Registry([]);
    registry.add(customType({ resource: "a", versions: ["v1beta1", "v1", "v2alpha1"] }));
    registry.add(customType({ resource: "b", version: "v2", versions: ["v2"] }));
    registry.add(customType({ resource: "c", versions: [] }));
    expect(registry.groups()).toEqual([{ name: "example.com", versions: ["v2", "v1", "v1beta1", "v2alpha1"], preferred: "v2" }]);
  });

  it("leaves out groups nothing is served in", () => {
    const registry = new Registry([]);
    registry.add(customType({ versions: [] }));
    expect(registry.groups()).toEqual([]);
  });

  it("lists the types served at a group version sorted by plural", () => {
    expect(
      labRegistry()
        .servedAt("longhorn.io", "v1beta2")
        .map((t) => t.resource),
    ).toEqual([
      "engineimages",
      "engines",
      "instancemanagers",
      "nodes",
      "replicas",
      "settings",
      "snapshots",
      "volumeattachments",
      "volumes",
    ]);
  });
});

describe("parseApiVersion", () => {
  it.each([
    ["v1", "", "v1"],
    ["longhorn.io/v1beta2", "longhorn.io", "v1beta2"],
    ["events.k8s.io/v1", "events.k8s.io", "v1"],
  ])("%s", (apiVersion, group, version) => {
    expect(parseApiVersion(apiVersion)).toEqual({ group, version });
  });
});

describe("version and group order", () => {
  it("prefers GA over beta over alpha, higher numbers first, odd names last", () => {
    const versions = ["v1alpha1", "foo", "v1beta2", "v1", "v2beta1", "v2", "v1beta1", "bar"];
    expect([...versions].sort(compareVersions)).toEqual(["v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "bar", "foo"]);
  });

  it("puts built-in groups before custom ones and sorts custom ones by name", () => {
    expect(["longhorn.io", "apps", "", "a.example.com"].sort(compareGroups)).toEqual(["", "apps", "a.example.com", "longhorn.io"]);
  });
});
