/** What a served type is called and which built-ins get special treatment: pure functions of a ResourceType. */
import type { ResourceType } from "../types.js";

/** apiVersion of a type in `version` (default its storage version): `v1`, `longhorn.io/v1beta2`. */
export function apiVersionOf(type: Pick<ResourceType, "group" | "version">, version = type.version): string {
  return type.group ? `${type.group}/${version}` : version;
}

/** The Kind with its group as the real server words it in 422 messages: `Node.longhorn.io`, `ConfigMap`. */
export const groupKind = (type: Pick<ResourceType, "group" | "kind">): string => (type.group ? `${type.kind}.${type.group}` : type.kind);

/** True for the core namespaces type. */
export const isNamespaceType = (type: Pick<ResourceType, "group" | "resource">): boolean =>
  type.group === "" && type.resource === "namespaces";

export const isPodType = (type: Pick<ResourceType, "group" | "resource">): boolean => type.group === "" && type.resource === "pods";

/** True for the CustomResourceDefinition type itself. */
export const isCrdType = (type: Pick<ResourceType, "group" | "resource">): boolean =>
  type.group === "apiextensions.k8s.io" && type.resource === "customresourcedefinitions";
