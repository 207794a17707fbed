import { isCrdType, isNamespaceType } from "../registry/names.js";
import type { KubeObject, ResourceType } from "../types.js";

/** Fields the real control plane fills in at once on create (namespace phase, CRD established, secret type), so kubectl sees the usual shape. */
export function applyCreateDefaults(type: ResourceType, object: KubeObject, now: string): KubeObject {
  if (isNamespaceType(type)) return namespaceDefaults(object);
  if (isCrdType(type)) return crdDefaults(object, now);
  if (type.group === "" && type.resource === "secrets" && object.type === undefined) return { ...object, type: "Opaque" };
  return object;
}

function namespaceDefaults(object: KubeObject): KubeObject {
  const name = object.metadata.name ?? "";
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const status = (object.status ?? {}) as Record<string, unknown>;
  return {
    ...object,
    metadata: { ...object.metadata, labels: { ...object.metadata.labels, "kubernetes.io/metadata.name": name } },
    spec: { finalizers: ["kubernetes"], ...spec },
    status: { phase: "Active", ...status },
  };
}

function crdDefaults(object: KubeObject, now: string): KubeObject {
  const spec = (object.spec ?? {}) as { names?: Record<string, unknown>; versions?: { name: string; storage?: boolean }[] };
  const names = spec.names ?? {};
  const kind = String(names.kind ?? "");
  const acceptedNames = {
    ...names,
    singular: names.singular ?? kind.toLowerCase(),
    listKind: names.listKind ?? `${kind}List`,
  };
  const condition = (type: string, reason: string, message: string) => ({
    type,
    status: "True",
    lastTransitionTime: now,
    reason,
    message,
  });
  const storage = spec.versions?.find((v) => v.storage)?.name ?? spec.versions?.[0]?.name;
  return {
    ...object,
    status: {
      conditions: [
        condition("NamesAccepted", "NoConflicts", "no conflicts found"),
        condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
      ],
      acceptedNames,
      storedVersions: storage ? [storage] : [],
    },
  };
}

/**
 * What the real server folds in on every write, not only on create: a Secret's stringData becomes
 * base64 in data (winning over data's key) and is never stored (runbook step: write the recovery
 * credentials as a Secret with stringData).
 */
export function applyWriteDefaults(type: ResourceType, object: KubeObject): KubeObject {
  if (type.group !== "" || type.resource !== "secrets" || object.stringData === undefined) return object;
  const { stringData, ...rest } = object;
  const data = { ...((object.data ?? {}) as Record<string, string>) };
  if (stringData !== null && typeof stringData === "object")
    for (const [key, value] of Object.entries(stringData as Record<string, unknown>))
      data[key] = Buffer.from(String(value), "utf8").toString("base64");
  return { ...rest, data } as KubeObject;
}
