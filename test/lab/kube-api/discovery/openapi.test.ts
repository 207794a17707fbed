import { describe, expect, it } from "vitest";
import { groupVersionPath, openapiV3GroupVersion, openapiV3Root } from "../../../../src/lab/kube-api/discovery/openapi.js";
import type { ResourceType } from "../../../../src/lab/kube-api/types.js";
import { labRegistry } from "../lab-crds.js";

interface Operation {
  parameters?: { name: string; in: string }[];
  "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string };
  "x-kubernetes-action"?: string;
}
interface Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
}

/**
 * kubectl's check (QueryParamVerifierV3, supportsQueryParamV3): some PATCH operation for the
 * GVK has a `fieldValidation` query parameter. Only then does it send fieldValidation=Strict
 * and leave validation to the server instead of needing schemas.
 */
function kubectlSeesFieldValidation(doc: Document, type: ResourceType, version: string): boolean {
  for (const path of Object.values(doc.paths)) {
    const patch = path.patch;
    const gvk = patch?.["x-kubernetes-group-version-kind"];
    if (!gvk || gvk.group !== type.group || gvk.version !== version || gvk.kind !== type.kind) continue;
    return (patch.parameters ?? []).some((p) => p.name === "fieldValidation" && p.in === "query");
  }
  return false;
}

describe("openapiV3Root", () => {
  it("lists every served group version with a content hash", () => {
    const root = openapiV3Root(labRegistry()) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(Object.keys(root.paths).sort()).toEqual(
      [
        "api/v1",
        "apis/apiextensions.k8s.io/v1",
        "apis/apps/v1",
        "apis/policy/v1",
        "apis/coordination.k8s.io/v1",
        "apis/events.k8s.io/v1",
        "apis/helm.toolkit.fluxcd.io/v2",
        "apis/kustomize.toolkit.fluxcd.io/v1",
        "apis/longhorn.io/v1beta2",
        "apis/source.toolkit.fluxcd.io/v1",
        "apis/storage.k8s.io/v1",
      ].sort(),
    );
    for (const [path, entry] of Object.entries(root.paths)) {
      expect(entry.serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${path.replaceAll(".", "\\.")}\\?hash=[0-9A-F]{128}$`));
    }
  });

  it("changes a group version's hash when its types change, and only that one", () => {
    const registry = labRegistry();
    const before = openapiV3Root(registry) as { paths: Record<string, { serverRelativeURL: string }> };
    registry.remove("longhorn.io", "snapshots");
    const after = openapiV3Root(registry) as { paths: Record<string, { serverRelativeURL: string }> };
    expect(after.paths["apis/longhorn.io/v1beta2"]?.serverRelativeURL).not.toBe(
      before.paths["apis/longhorn.io/v1beta2"]?.serverRelativeURL,
    );
    expect(after.paths["api/v1"]).toEqual(before.paths["api/v1"]);
  });
});

describe("openapiV3GroupVersion", () => {
  const registry = labRegistry();

  it("is a schema-less OpenAPI 3 document", () => {
    const doc = openapiV3GroupVersion(registry, "apis/longhorn.io/v1beta2") as Document;
    expect(doc.openapi).toBe("3.0.0");
    expect(doc.info.title).toBe("Kubernetes");
    expect(doc.components).toEqual({ schemas: {} });
  });

  it("lets kubectl see server-side field validation for every served type", () => {
    for (const group of registry.groups()) {
      for (const version of group.versions) {
        const doc = openapiV3GroupVersion(registry, groupVersionPath(group.name, version)) as Document;
        for (const type of registry.servedAt(group.name, version)) {
          expect(kubectlSeesFieldValidation(doc, type, version), `${type.resource}.${type.group}/${version}`).toBe(true);
        }
      }
    }
  });

  it("uses namespaced paths for namespaced types and plain ones for cluster types", () => {
    const longhorn = openapiV3GroupVersion(registry, "apis/longhorn.io/v1beta2") as Document;
    const item = longhorn.paths["/apis/longhorn.io/v1beta2/namespaces/{namespace}/nodes/{name}"];
    expect(item?.patch?.["x-kubernetes-group-version-kind"]).toEqual({ group: "longhorn.io", version: "v1beta2", kind: "Node" });
    expect(item?.patch?.["x-kubernetes-action"]).toBe("patch");
    expect(longhorn.paths["/apis/longhorn.io/v1beta2/namespaces/{namespace}/nodes/{name}/status"]?.patch).toBeDefined();
    expect(longhorn.paths["/apis/longhorn.io/v1beta2/nodes"]?.get?.["x-kubernetes-action"]).toBe("list");

    const core = openapiV3GroupVersion(registry, "api/v1") as Document;
    expect(core.paths["/api/v1/nodes/{name}"]?.patch?.["x-kubernetes-group-version-kind"]).toEqual({
      group: "",
      version: "v1",
      kind: "Node",
    });
    expect(core.paths["/api/v1/namespaces/{namespace}/nodes/{name}"]).toBeUndefined();
    expect(core.paths["/api/v1/namespaces/{namespace}/configmaps/{name}/status"]).toBeUndefined();
  });

  it("accepts the path as kubectl requests it", () => {
    expect(openapiV3GroupVersion(registry, "/openapi/v3/api/v1?hash=ABC")).toEqual(openapiV3GroupVersion(registry, "api/v1"));
  });

  it("has nothing for unknown or unserved group versions", () => {
    expect(openapiV3GroupVersion(registry, "apis/longhorn.io/v1beta1")).toBeUndefined();
    expect(openapiV3GroupVersion(registry, "apis/nope.io/v1")).toBeUndefined();
    expect(openapiV3GroupVersion(registry, "api/v2")).toBeUndefined();
    expect(openapiV3GroupVersion(registry, "apis/longhorn.io")).toBeUndefined();
    expect(openapiV3GroupVersion(registry, "version")).toBeUndefined();
  });
});
