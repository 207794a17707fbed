/**
 * CustomResourceDefinition → the ResourceType it serves, with the validation the real
 * apiextensions server applies to the parts the emulator relies on.
 */

import type { StructuralSchema } from "../api/structural-schema.js";
import { parsePrinterPath } from "../printers/jsonpath.js";
import { invalid, type StatusCause } from "../status.js";
import type { KubeObject, PrinterColumn, ResourceType } from "../types.js";

/** The group/kind the real server names in CRD errors. */
export const CRD_GROUP_KIND = "CustomResourceDefinition.apiextensions.k8s.io";

/** What custom resources support, in the order the apiextensions server lists them. */
export const CUSTOM_RESOURCE_VERBS = ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"];

const COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"];
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {});
const text = (v: unknown): string => (typeof v === "string" ? v : "");
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : []);

const required = (field: string): StatusCause => ({ reason: "FieldValueRequired", message: "Required value", field });
const badValue = (field: string, value: unknown, why: string): StatusCause => ({
  reason: "FieldValueInvalid",
  message: `Invalid value: ${JSON.stringify(value)}: ${why}`,
  field,
});
const unsupported = (field: string, value: unknown, allowed: string[]): StatusCause => ({
  reason: "FieldValueNotSupported",
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
  field,
});

/**
 * Turns a CustomResourceDefinition object into the ResourceType it serves (custom: true;
 * storage version as `version`, served versions as `versions`; additionalPrinterColumns from
 * the storage version; status subresource; names/shortNames/categories/scope).
 * @throws ApiError 422 listing every problem found, worded as the real server words it.
 */
export function crdResourceType(crd: KubeObject): ResourceType {
  const spec = record(crd.spec);
  const names = record(spec.names);
  const group = text(spec.group);
  const plural = text(names.plural);
  const kind = text(names.kind);
  const scope = text(spec.scope);
  const causes: StatusCause[] = [];

  if (crd.kind !== "CustomResourceDefinition") causes.push(badValue("kind", crd.kind, "must be CustomResourceDefinition"));
  if (crd.apiVersion !== "apiextensions.k8s.io/v1") {
    causes.push(unsupported("apiVersion", crd.apiVersion, ["apiextensions.k8s.io/v1"]));
  }
  if (!group) causes.push(required("spec.group"));
  else if (!group.includes(".")) causes.push(badValue("spec.group", group, "should be a domain with at least one dot"));
  if (!plural) causes.push(required("spec.names.plural"));
  else if (!DNS1123_LABEL.test(plural)) causes.push(badValue("spec.names.plural", plural, "a lowercase RFC 1123 label"));
  if (!kind) causes.push(required("spec.names.kind"));
  else if (!KIND.test(kind)) causes.push(badValue("spec.names.kind", kind, "must be a valid Kind name"));
  const singular = text(names.singular) || kind.toLowerCase();
  if (singular && !DNS1123_LABEL.test(singular)) causes.push(badValue("spec.names.singular", singular, "a lowercase RFC 1123 label"));
  for (const [i, short] of strings(names.shortNames).entries()) {
    if (!DNS1123_LABEL.test(short)) causes.push(badValue(`spec.names.shortNames[${i}]`, short, "a lowercase RFC 1123 label"));
  }
  if (scope !== "Namespaced" && scope !== "Cluster") causes.push(unsupported("spec.scope", scope, ["Cluster", "Namespaced"]));
  const name = crd.metadata?.name ?? "";
  if (group && plural && name !== `${plural}.${group}`) {
    causes.push(badValue("metadata.name", name, 'must be spec.names.plural+"."+spec.group'));
  }

  const versions = Array.isArray(spec.versions) ? spec.versions.map(record) : [];
  if (versions.length === 0) causes.push(required("spec.versions"));
  causes.push(...versionCauses(versions));
  const storage = versions.filter((v) => v.storage === true);
  if (versions.length > 0 && storage.length !== 1) {
    causes.push(
      badValue(
        "spec.versions",
        versions.map((v) => v.name),
        "must have exactly one version marked as storage version",
      ),
    );
  }
  if (causes.length > 0) throw invalid(CRD_GROUP_KIND, name, causes);

  const stored = storage[0] as Json;
  return {
    group,
    version: text(stored.name),
    versions: versions.filter((v) => v.served === true).map((v) => text(v.name)),
    resource: plural,
    singular,
    kind,
    listKind: text(names.listKind) || `${kind}List`,
    namespaced: scope === "Namespaced",
    shortNames: strings(names.shortNames),
    categories: strings(names.categories),
    verbs: [...CUSTOM_RESOURCE_VERBS],
    subresources: { status: record(stored.subresources).status !== undefined },
    printerColumns: (Array.isArray(stored.additionalPrinterColumns) ? stored.additionalPrinterColumns : []).map(printerColumn),
    fieldSelectors: [],
    custom: true,
    ...schemaOf(stored),
  };
}

/** The storage version's structural schema, unless it lets everything through (the lab's trimmed fixture CRDs). */
function schemaOf(version: Json): { schema?: StructuralSchema } {
  const schema = record(record(version.schema).openAPIV3Schema) as StructuralSchema;
  const open = schema["x-kubernetes-preserve-unknown-fields"] === true && schema.properties === undefined;
  return Object.keys(schema).length === 0 || open ? {} : { schema };
}

function versionCauses(versions: Json[]): StatusCause[] {
  const causes: StatusCause[] = [];
  const seen = new Set<string>();
  for (const [i, version] of versions.entries()) {
    const field = `spec.versions[${i}]`;
    const name = text(version.name);
    if (!name) causes.push(required(`${field}.name`));
    else if (!DNS1035_LABEL.test(name)) causes.push(badValue(`${field}.name`, name, "a DNS-1035 label"));
    else if (seen.has(name))
      causes.push({ reason: "FieldValueDuplicate", message: `Duplicate value: ${JSON.stringify(name)}`, field: `${field}.name` });
    seen.add(name);
    const columns = Array.isArray(version.additionalPrinterColumns) ? version.additionalPrinterColumns.map(record) : [];
    for (const [j, column] of columns.entries()) causes.push(...columnCauses(column, `${field}.additionalPrinterColumns[${j}]`));
  }
  return causes;
}

function columnCauses(column: Json, field: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (!text(column.name)) causes.push(required(`${field}.name`));
  if (!COLUMN_TYPES.includes(text(column.type))) causes.push(unsupported(`${field}.type`, column.type ?? "", COLUMN_TYPES));
  const jsonPath = text(column.jsonPath);
  if (!jsonPath) causes.push(required(`${field}.jsonPath`));
  else {
    try {
      parsePrinterPath(jsonPath);
    } catch {
      causes.push(badValue(`${field}.jsonPath`, jsonPath, "must be a simple json path starting with ."));
    }
  }
  return causes;
}

function printerColumn(raw: unknown): PrinterColumn {
  const c = record(raw);
  return {
    name: text(c.name),
    type: text(c.type),
    jsonPath: text(c.jsonPath),
    ...(typeof c.description === "string" ? { description: c.description } : {}),
    ...(typeof c.priority === "number" ? { priority: c.priority } : {}),
    ...(typeof c.format === "string" ? { format: c.format } : {}),
  };
}
