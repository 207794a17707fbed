import { describe, expect, it } from "vitest";
import { CUSTOM_RESOURCE_VERBS, crdResourceType } from "../../../../src/lab/kube-api/registry/crd.js";
import { ApiError } from "../../../../src/lab/kube-api/status.js";
import type { KubeObject } from "../../../../src/lab/kube-api/types.js";
import { loadCrds } from "../lab-crds.js";

const crds = loadCrds();
const crdNamed = (name: string): KubeObject => {
  const crd = crds.find((c) => c.metadata.name === name);
  if (!crd) throw new Error(`fixture CRD ${name} missing`);
  return crd;
};

/** A valid CRD to break one field at a time. */
function widgetCrd(): KubeObject {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      names: { plural: "widgets", kind: "Widget" },
      scope: "Namespaced",
      versions: [{ name: "v1", served: true, storage: true }],
    },
  };
}

function rejection(crd: KubeObject): ApiError {
  try {
    crdResourceType(crd);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the CRD was accepted");
}

describe("the lab's CRD fixtures", () => {
  it("hold every Longhorn and Flux CRD the runbooks touch", () => {
    expect(crds.map((c) => c.metadata.name).sort()).toEqual([
      "engineimages.longhorn.io",
      "engines.longhorn.io",
      "gitrepositories.source.toolkit.fluxcd.io",
      "helmcharts.source.toolkit.fluxcd.io",
      "helmreleases.helm.toolkit.fluxcd.io",
      "helmrepositories.source.toolkit.fluxcd.io",
      "instancemanagers.longhorn.io",
      "kustomizations.kustomize.toolkit.fluxcd.io",
      "nodes.longhorn.io",
      "replicas.longhorn.io",
      "settings.longhorn.io",
      "snapshots.longhorn.io",
      "volumeattachments.longhorn.io",
      "volumes.longhorn.io",
    ]);
  });
});

describe("crdResourceType", () => {
  it.each([
    ["engineimages.longhorn.io", "EngineImage", "v1beta2", ["lhei"], []],
    ["engines.longhorn.io", "Engine", "v1beta2", ["lhe"], []],
    ["instancemanagers.longhorn.io", "InstanceManager", "v1beta2", ["lhim"], []],
    ["nodes.longhorn.io", "Node", "v1beta2", ["lhn"], []],
    ["replicas.longhorn.io", "Replica", "v1beta2", ["lhr"], []],
    ["settings.longhorn.io", "Setting", "v1beta2", ["lhs"], []],
    ["snapshots.longhorn.io", "Snapshot", "v1beta2", ["lhsnap"], []],
    ["volumeattachments.longhorn.io", "VolumeAttachment", "v1beta2", ["lhva"], []],
    ["volumes.longhorn.io", "Volume", "v1beta2", ["lhv"], []],
    ["kustomizations.kustomize.toolkit.fluxcd.io", "Kustomization", "v1", ["ks"], ["all", "fluxcd", "fluxcd-appliers"]],
    ["helmreleases.helm.toolkit.fluxcd.io", "HelmRelease", "v2", ["hr"], ["all", "fluxcd", "fluxcd-appliers"]],
    ["gitrepositories.source.toolkit.fluxcd.io", "GitRepository", "v1", ["gitrepo"], ["all", "fluxcd", "fluxcd-sources"]],
    ["helmrepositories.source.toolkit.fluxcd.io", "HelmRepository", "v1", ["helmrepo"], ["all", "fluxcd", "fluxcd-sources"]],
    ["helmcharts.source.toolkit.fluxcd.io", "HelmChart", "v1", ["hc"], ["all", "fluxcd", "fluxcd-sources"]],
  ])("%s serves %s at %s only, short names %j, categories %j", (name, kind, version, shortNames, categories) => {
    const type = crdResourceType(crdNamed(name));
    const [resource, ...group] = name.split(".");
    expect(type).toMatchObject({
      group: group.join("."),
      resource,
      kind,
      listKind: `${kind}List`,
      singular: kind.toLowerCase(),
      version,
      versions: [version],
      namespaced: true,
      shortNames,
      categories,
      subresources: { status: true },
      custom: true,
      fieldSelectors: [],
    });
    expect(type.verbs).toEqual(CUSTOM_RESOURCE_VERBS);
    expect(type.printerColumns).toContainEqual({ name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" });
  });

  it("takes the printer columns of the storage version, not the deprecated one", () => {
    expect(crdResourceType(crdNamed("nodes.longhorn.io")).printerColumns).toEqual([
      {
        name: "Ready",
        type: "string",
        jsonPath: ".status.conditions[?(@.type=='Ready')].status",
        description: "Indicate whether the node is ready",
      },
      {
        name: "AllowScheduling",
        type: "boolean",
        jsonPath: ".spec.allowScheduling",
        description: "Indicate whether the user disabled/enabled replica scheduling for the node",
      },
      {
        name: "Schedulable",
        type: "string",
        jsonPath: ".status.conditions[?(@.type=='Schedulable')].status",
        description: "Indicate whether Longhorn can schedule replicas on the node",
      },
      { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
    ]);
    expect(crdResourceType(crdNamed("volumes.longhorn.io")).printerColumns.map((c) => c.name)).toEqual([
      "Data Engine",
      "State",
      "Robustness",
      "Scheduled",
      "Size",
      "Node",
      "Age",
    ]);
  });

  it("keeps Flux's Ready and Status columns", () => {
    expect(crdResourceType(crdNamed("kustomizations.kustomize.toolkit.fluxcd.io")).printerColumns.map((c) => [c.name, c.jsonPath])).toEqual(
      [
        ["Age", ".metadata.creationTimestamp"],
        ["Ready", '.status.conditions[?(@.type=="Ready")].status'],
        ["Status", '.status.conditions[?(@.type=="Ready")].message'],
      ],
    );
  });

  it("defaults singular and listKind from the kind, and carries priority and format", () => {
    const crd = widgetCrd();
    const version = (crd.spec as { versions: Record<string, unknown>[] }).versions[0] as Record<string, unknown>;
    version.additionalPrinterColumns = [{ name: "Size", type: "integer", jsonPath: ".spec.size", priority: 1, format: "int64" }];
    version.subresources = {};
    const type = crdResourceType(crd);
    expect(type).toMatchObject({ singular: "widget", listKind: "WidgetList", subresources: { status: false } });
    expect(type.printerColumns).toEqual([{ name: "Size", type: "integer", jsonPath: ".spec.size", priority: 1, format: "int64" }]);
  });

  it("serves cluster-scoped CRDs cluster-wide and keeps unserved storage versions out of versions", () => {
    const crd = widgetCrd();
    const spec = crd.spec as Record<string, unknown>;
    spec.scope = "Cluster";
    spec.versions = [
      { name: "v1", served: false, storage: true },
      { name: "v2", served: true, storage: false },
    ];
    expect(crdResourceType(crd)).toMatchObject({ namespaced: false, version: "v1", versions: ["v2"] });
  });

  it("rejects an invalid CRD with 422 naming every problem at once", () => {
    const crd = widgetCrd();
    crd.metadata.name = "wrong.example.com";
    const spec = crd.spec as Record<string, unknown>;
    spec.scope = "Galaxy";
    spec.names = { plural: "widgets" };
    const error = rejection(crd);
    expect(error.code).toBe(422);
    expect(error.reason).toBe("Invalid");
    expect(error.message).toMatch(/^CustomResourceDefinition\.apiextensions\.k8s\.io "wrong\.example\.com" is invalid: /);
    // As apimachinery's NewInvalid: the group-qualified kind split into group and kind.
    expect(error.details).toMatchObject({ group: "apiextensions.k8s.io", kind: "CustomResourceDefinition", name: "wrong.example.com" });
    expect(error.details?.causes?.map((c) => c.field)).toEqual(["spec.names.kind", "spec.scope", "metadata.name"]);
    expect(error.message).toContain('spec.scope: Unsupported value: "Galaxy": supported values: "Cluster", "Namespaced"');
    expect(error.message).toContain('metadata.name: Invalid value: "wrong.example.com": must be spec.names.plural+"."+spec.group');
    expect(error.message).toContain("spec.names.kind: Required value");
  });

  it("requires a group with a dot, a plural and versions", () => {
    const crd = widgetCrd();
    crd.spec = { names: { kind: "Widget" }, scope: "Namespaced", versions: [] };
    expect(rejection(crd).details?.causes?.map((c) => c.field)).toEqual(["spec.group", "spec.names.plural", "spec.versions"]);
    const dotless = widgetCrd();
    (dotless.spec as Record<string, unknown>).group = "example";
    dotless.metadata.name = "widgets.example";
    expect(rejection(dotless).message).toContain('spec.group: Invalid value: "example": should be a domain with at least one dot');
  });

  it("requires exactly one storage version and unique version names", () => {
    const crd = widgetCrd();
    (crd.spec as Record<string, unknown>).versions = [
      { name: "v1", served: true, storage: true },
      { name: "v1", served: true, storage: true },
    ];
    const causes = rejection(crd).details?.causes ?? [];
    expect(causes.map((c) => c.field)).toEqual(["spec.versions[1].name", "spec.versions"]);
    expect(causes[1]?.message).toContain("must have exactly one version marked as storage version");
  });

  it("rejects printer columns with an unknown type or an unparsable JSONPath", () => {
    const crd = widgetCrd();
    const version = (crd.spec as { versions: Record<string, unknown>[] }).versions[0] as Record<string, unknown>;
    version.additionalPrinterColumns = [
      { name: "A", type: "float", jsonPath: ".spec.a" },
      { name: "B", type: "string", jsonPath: ".spec[?(@.x" },
      { type: "string" },
    ];
    expect(rejection(crd).details?.causes?.map((c) => c.field)).toEqual([
      "spec.versions[0].additionalPrinterColumns[0].type",
      "spec.versions[0].additionalPrinterColumns[1].jsonPath",
      "spec.versions[0].additionalPrinterColumns[2].name",
      "spec.versions[0].additionalPrinterColumns[2].jsonPath",
    ]);
  });

  it("refuses objects that are not apiextensions.k8s.io/v1 CRDs", () => {
    const crd = widgetCrd();
    crd.apiVersion = "apiextensions.k8s.io/v1beta1";
    expect(rejection(crd).details?.causes?.map((c) => c.field)).toEqual(["apiVersion"]);
  });
});
