/**
 * How the built-in types the emulator serves merge their lists and maps: the `patchStrategy` /
 * `patchMergeKey` and `listType` / `listMapKey` markers of k8s.io/api, for the fields the lab and
 * its runbooks touch. Strategic merge patch and server-side apply both read this table.
 */

/** How a list merges: replaced whole, a set of scalars, or items merged by key fields. */
export type ListKind = { type: "atomic" } | { type: "set" } | { type: "map"; keys: string[] };

/** Merge rules of one kind. Paths are field names with `[]` for a list item: `spec.containers.[].env`. */
export interface KindSchema {
  /** True for a built-in kind the table describes; other kinds get only ObjectMeta's rules. */
  known: boolean;
  /** How the list at `path` merges; atomic unless the table says otherwise. */
  list(path: readonly string[]): ListKind;
  /** A map replaced whole (`+structType=atomic`, such as a Deployment's label selector). */
  atomicMap(path: readonly string[]): boolean;
  /** A non-pointer struct or a list without omitempty: present (empty) in every object of the kind. */
  alwaysPresent(path: readonly string[]): boolean;
}

const ATOMIC: ListKind = { type: "atomic" };
const SET: ListKind = { type: "set" };
const byKey = (...keys: string[]): ListKind => ({ type: "map", keys });

const OBJECT_META: Record<string, ListKind> = {
  "metadata.finalizers": SET,
  "metadata.ownerReferences": byKey("uid"),
};

function containerLists(prefix: string): Record<string, ListKind> {
  return {
    [`${prefix}.env`]: byKey("name"),
    [`${prefix}.ports`]: byKey("containerPort", "protocol"),
    [`${prefix}.volumeMounts`]: byKey("mountPath"),
    [`${prefix}.volumeDevices`]: byKey("devicePath"),
    [`${prefix}.resizePolicy`]: ATOMIC,
  };
}

function podSpecLists(prefix: string): Record<string, ListKind> {
  const lists: Record<string, ListKind> = {
    [`${prefix}.volumes`]: byKey("name"),
    [`${prefix}.imagePullSecrets`]: byKey("name"),
    [`${prefix}.hostAliases`]: byKey("ip"),
    [`${prefix}.topologySpreadConstraints`]: byKey("topologyKey", "whenUnsatisfiable"),
    [`${prefix}.schedulingGates`]: byKey("name"),
    [`${prefix}.resourceClaims`]: byKey("name"),
  };
  for (const containers of ["containers", "initContainers", "ephemeralContainers"]) {
    lists[`${prefix}.${containers}`] = byKey("name");
    Object.assign(lists, containerLists(`${prefix}.${containers}.[]`));
  }
  return lists;
}

const CONDITIONS_BY_TYPE = { "status.conditions": byKey("type") };

const POD_STATUS: Record<string, ListKind> = { ...CONDITIONS_BY_TYPE, "status.podIPs": byKey("ip") };

const WORKLOAD = { ...podSpecLists("spec.template.spec"), ...CONDITIONS_BY_TYPE };

/** Lists by `group/Kind` ("" group for core). Unlisted lists are atomic, as in the real API. */
const LISTS: Record<string, Record<string, ListKind>> = {
  "/Pod": { ...podSpecLists("spec"), ...POD_STATUS },
  "/Node": {
    "spec.podCIDRs": SET,
    // Real NodeSpec.taints has no merge strategy (+listType=atomic): `kubectl taint` sends the whole list.
    "spec.taints": ATOMIC,
    ...CONDITIONS_BY_TYPE,
    "status.addresses": byKey("type"),
  },
  "/Namespace": CONDITIONS_BY_TYPE,
  "/PersistentVolumeClaim": CONDITIONS_BY_TYPE,
  "/PersistentVolume": {},
  "/Service": { "spec.ports": byKey("port", "protocol"), ...CONDITIONS_BY_TYPE },
  "/ConfigMap": {},
  "/Secret": {},
  "/Event": {},
  "/Endpoints": {},
  "/ServiceAccount": {},
  "events.k8s.io/Event": {},
  "coordination.k8s.io/Lease": {},
  "storage.k8s.io/VolumeAttachment": {},
  "storage.k8s.io/StorageClass": {},
  "apps/Deployment": WORKLOAD,
  "apps/DaemonSet": WORKLOAD,
  "apps/StatefulSet": WORKLOAD,
  "apps/ReplicaSet": WORKLOAD,
  "batch/Job": podSpecLists("spec.template.spec"),
  "batch/CronJob": podSpecLists("spec.jobTemplate.spec.template.spec"),
  "apiextensions.k8s.io/CustomResourceDefinition": CONDITIONS_BY_TYPE,
};

const WORKLOAD_KINDS = new Set(["apps/Deployment", "apps/DaemonSet", "apps/StatefulSet", "apps/ReplicaSet"]);

/**
 * Fields of the built-in kinds that exist even in an empty object (non-pointer structs, lists
 * without omitempty), so appearing never makes them members of their own.
 */
const ALWAYS_PRESENT = new Set([
  "metadata",
  "spec.containers",
  "spec.template.spec.containers",
  "spec.jobTemplate.spec.template.spec.containers",
  "spec",
  "status",
  "spec.template",
  "spec.template.metadata",
  "spec.template.spec",
  "spec.strategy",
  "spec.updateStrategy",
  "status.nodeInfo",
  "status.daemonEndpoints",
  "status.daemonEndpoints.kubeletEndpoint",
]);

/** `group/Kind` of an apiVersion and kind: `apps/Deployment`, `/Node`, `longhorn.io/Node`. */
export function groupKind(gvk: { apiVersion: string; kind: string }): string {
  const slash = gvk.apiVersion.lastIndexOf("/");
  return `${slash < 0 ? "" : gvk.apiVersion.slice(0, slash)}/${gvk.kind}`;
}

/** The merge rules of a kind. */
export function schemaFor(gvk: { apiVersion: string; kind: string }): KindSchema {
  const key = groupKind(gvk);
  const table = LISTS[key];
  const lists: Record<string, ListKind> = { ...OBJECT_META, ...(table ?? {}) };
  const known = table !== undefined;
  const join = (path: readonly string[]): string => path.join(".");
  return {
    known,
    list: (path) => lists[join(path)] ?? ATOMIC,
    atomicMap: (path) => WORKLOAD_KINDS.has(key) && join(path) === "spec.selector",
    alwaysPresent: (path) => known && ALWAYS_PRESENT.has(join(path)),
  };
}

/** The schema strategic merge patch uses: unknown kinds merge like a JSON merge patch, every list replaced. */
export function strategicSchemaFor(gvk: { apiVersion: string; kind: string }): KindSchema {
  const schema = schemaFor(gvk);
  if (schema.known) return schema;
  return { ...schema, list: () => ATOMIC };
}
