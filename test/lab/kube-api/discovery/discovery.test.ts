import { describe, expect, it } from "vitest";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  negotiateDiscovery,
  plainCoreVersions,
  plainGroupList,
  plainResourceList,
} from "../../../../src/lab/kube-api/discovery/aggregated.js";
import { storageVersionHash } from "../../../../src/lab/kube-api/discovery/plain.js";
import { labRegistry } from "../lab-crds.js";

const V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
const V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList";

interface Resource {
  resource: string;
  responseKind: { group: string; version: string; kind: string };
  scope: string;
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: { subresource: string; responseKind: object; verbs: string[] }[];
}
interface DiscoveryList {
  kind: string;
  apiVersion: string;
  metadata: object;
  items: { metadata: { name?: string }; versions: { version: string; resources: Resource[]; freshness: string }[] }[];
}

const resourceIn = (list: DiscoveryList, group: string, resource: string): Resource | undefined =>
  list.items.find((i) => (i.metadata.name ?? "") === group)?.versions[0]?.resources.find((r) => r.resource === resource);

describe("negotiateDiscovery", () => {
  it.each([
    ["kubectl 1.30+ (v2, v2beta1, json)", `${V2},${V2BETA1},application/json`, "v2"],
    ["kubectl 1.27–1.29 (v2beta1 only)", `${V2BETA1},application/json`, "v2beta1"],
    ["plain json", "application/json", "plain"],
    ["no Accept", undefined, "plain"],
    ["empty Accept", "", "plain"],
    ["anything", "*/*", "plain"],
    ["a lower q moves v2beta1 behind v2", `${V2BETA1};q=0.5,${V2}`, "v2"],
    ["q=0 refuses a range", `${V2};q=0,application/json`, "plain"],
    [
      "protobuf ranges are skipped",
      `application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,${V2BETA1}`,
      "v2beta1",
    ],
    [
      "an unknown discovery version falls through",
      "application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json",
      "plain",
    ],
    [
      "spaces and case are tolerated",
      ` Application/JSON ; g=apidiscovery.k8s.io ; v=v2 ; as=APIGroupDiscoveryList , application/json`,
      "v2",
    ],
    ["a Table request is not discovery", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json", "plain"],
  ])("%s → %s", (_name, accept, expected) => {
    expect(negotiateDiscovery(accept)).toBe(expected);
  });
});

describe("aggregatedContentType", () => {
  it("names the discovery group, version and kind", () => {
    expect(aggregatedContentType("v2")).toBe(V2);
    expect(aggregatedContentType("v2beta1")).toBe(V2BETA1);
  });
});

describe("aggregatedDiscovery", () => {
  const registry = labRegistry();

  it("answers GET /api with the core group only", () => {
    const list = aggregatedDiscovery(registry, "core", "v2") as DiscoveryList;
    expect(list.kind).toBe("APIGroupDiscoveryList");
    expect(list.apiVersion).toBe("apidiscovery.k8s.io/v2");
    expect(list.metadata).toEqual({});
    expect(list.items).toHaveLength(1);
    expect(list.items[0]?.metadata).toEqual({ creationTimestamp: null });
    expect(list.items[0]?.versions.map((v) => [v.version, v.freshness])).toEqual([["v1", "Current"]]);
    expect(list.items[0]?.versions[0]?.resources.map((r) => r.resource)).toEqual([
      "configmaps",
      "events",
      "namespaces",
      "nodes",
      "persistentvolumeclaims",
      "persistentvolumes",
      "pods",
      "secrets",
    ]);
  });

  it("describes a built-in as the real server does, with an empty group and version in responseKind", () => {
    const list = aggregatedDiscovery(registry, "core", "v2") as DiscoveryList;
    expect(resourceIn(list, "", "pods")).toEqual({
      resource: "pods",
      responseKind: { group: "", version: "", kind: "Pod" },
      scope: "Namespaced",
      singularResource: "pod",
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      shortNames: ["po"],
      categories: ["all"],
      subresources: [
        { subresource: "eviction", responseKind: { group: "policy", version: "v1", kind: "Eviction" }, verbs: ["create"] },
        { subresource: "status", responseKind: { group: "", version: "", kind: "Pod" }, verbs: ["get", "patch", "update"] },
      ],
    });
    expect(resourceIn(list, "", "nodes")?.scope).toBe("Cluster");
  });

  it("omits empty shortNames, categories and subresources", () => {
    const secrets = resourceIn(aggregatedDiscovery(registry, "core", "v2") as DiscoveryList, "", "secrets");
    expect(secrets).toBeDefined();
    expect(Object.keys(secrets ?? {})).toEqual(["resource", "responseKind", "scope", "singularResource", "verbs"]);
  });

  it("answers GET /apis with every named group in priority order", () => {
    const list = aggregatedDiscovery(registry, "apis", "v2") as DiscoveryList;
    expect(list.items.map((i) => i.metadata.name)).toEqual([
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
    expect(list.items[0]?.metadata).toEqual({ name: "apps", creationTimestamp: null });
  });

  it("describes a custom resource with its full group/version/kind and the CRD verbs", () => {
    const list = aggregatedDiscovery(registry, "apis", "v2") as DiscoveryList;
    const kind = { group: "longhorn.io", version: "v1beta2", kind: "Node" };
    expect(resourceIn(list, "longhorn.io", "nodes")).toEqual({
      resource: "nodes",
      responseKind: kind,
      scope: "Namespaced",
      singularResource: "node",
      verbs: ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"],
      shortNames: ["lhn"],
      subresources: [{ subresource: "status", responseKind: kind, verbs: ["get", "patch", "update"] }],
    });
    expect(resourceIn(list, "kustomize.toolkit.fluxcd.io", "kustomizations")?.categories).toEqual(["all", "fluxcd", "fluxcd-appliers"]);
  });

  it("serves the same body as v2beta1 for kubectl 1.27–1.29", () => {
    const v2 = aggregatedDiscovery(registry, "apis", "v2") as DiscoveryList;
    const v2beta1 = aggregatedDiscovery(registry, "apis", "v2beta1") as DiscoveryList;
    expect(v2beta1.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
    expect(v2beta1.items).toEqual(v2.items);
  });

  it("follows the registry: a removed CRD disappears, its group with it", () => {
    const changing = labRegistry();
    for (const resource of ["helmcharts", "helmrepositories", "gitrepositories"]) changing.remove("source.toolkit.fluxcd.io", resource);
    const list = aggregatedDiscovery(changing, "apis", "v2") as DiscoveryList;
    expect(list.items.map((i) => i.metadata.name)).not.toContain("source.toolkit.fluxcd.io");
  });
});

describe("plain discovery", () => {
  const registry = labRegistry();

  it("answers GET /api with APIVersions", () => {
    expect(plainCoreVersions()).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "127.0.0.1:6443" }],
    });
    expect(plainCoreVersions("127.0.0.5:6443")).toMatchObject({ serverAddressByClientCIDRs: [{ serverAddress: "127.0.0.5:6443" }] });
  });

  it("answers GET /apis with an APIGroupList without the core group", () => {
    const list = plainGroupList(registry) as { kind: string; apiVersion: string; groups: { name: string }[] };
    expect(list.kind).toBe("APIGroupList");
    expect(list.apiVersion).toBe("v1");
    expect(list.groups.map((g) => g.name)).not.toContain("");
    expect(list.groups.find((g) => g.name === "longhorn.io")).toEqual({
      name: "longhorn.io",
      versions: [{ groupVersion: "longhorn.io/v1beta2", version: "v1beta2" }],
      preferredVersion: { groupVersion: "longhorn.io/v1beta2", version: "v1beta2" },
    });
  });

  it("answers GET /api/v1 with an APIResourceList, status subresources included", () => {
    const list = plainResourceList(registry, "", "v1") as { kind: string; groupVersion: string; resources: { name: string }[] };
    expect(list).not.toHaveProperty("apiVersion");
    expect(list.kind).toBe("APIResourceList");
    expect(list.groupVersion).toBe("v1");
    expect(list.resources.map((r) => r.name)).toContain("pods/status");
    expect(list.resources.map((r) => r.name)).not.toContain("configmaps/status");
    expect(list.resources.find((r) => r.name === "pods")).toEqual({
      name: "pods",
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      shortNames: ["po"],
      categories: ["all"],
      storageVersionHash: "xPOwRZ+Yhw8=",
    });
    expect(list.resources.find((r) => r.name === "pods/status")).toEqual({
      name: "pods/status",
      singularName: "",
      namespaced: true,
      kind: "Pod",
      verbs: ["get", "patch", "update"],
    });
  });

  it("answers GET /apis/<g>/<v> for a CRD group", () => {
    const list = plainResourceList(registry, "longhorn.io", "v1beta2") as {
      apiVersion: string;
      groupVersion: string;
      resources: { name: string }[];
    };
    expect(list.apiVersion).toBe("v1");
    expect(list.groupVersion).toBe("longhorn.io/v1beta2");
    expect(list.resources.map((r) => r.name)).toContain("volumes/status");
  });

  it("has nothing for an unknown or unserved group version", () => {
    expect(plainResourceList(registry, "longhorn.io", "v1beta1")).toBeUndefined();
    expect(plainResourceList(registry, "nope.io", "v1")).toBeUndefined();
  });

  it("computes storage version hashes as the real server publishes them", () => {
    expect(storageVersionHash("", "v1", "Pod")).toBe("xPOwRZ+Yhw8=");
    expect(storageVersionHash("", "v1", "Node")).toBe("XwShjMxG9Fs=");
    expect(storageVersionHash("apps", "v1", "Deployment")).toBe("8aSe+NMegvE=");
  });
});
