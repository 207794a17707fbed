/**
 * Everything a write's object goes through before admission, whoever writes it: Secret stringData
 * folded, built-in defaults, the structural schema (unknown fields refused, warned about or pruned
 * by `fieldValidation`; defaults; types, enums, required), then the built-ins' own checks.
 */
import { groupKind } from "../registry/names.js";
import { type ApiError, badRequest, invalid, type StatusCause } from "../status.js";
import type { KubeObject, ResourceType } from "../types.js";
import { applyBuiltinDefaults, builtinCauses } from "./builtin-rules.js";
import { applyWriteDefaults } from "./defaults.js";
import type { FieldValidation, WarningSink } from "./options.js";
import { applySchema, type StructuralSchema } from "./structural-schema.js";

export interface PrepareOptions {
  fieldValidation?: FieldValidation;
  warn?: WarningSink;
  creating: boolean;
}

/** Unknown fields only (server-side apply's configuration, before it is merged): refused, warned about or dropped. */
export function pruneUnknown(type: ResourceType, object: KubeObject, options: Omit<PrepareOptions, "creating">): KubeObject {
  if (!type.schema) return object;
  const copy = structuredClone(object);
  const { unknownFields } = applySchema(copy, type.schema);
  reportUnknown(type, unknownFields, options);
  for (const field of unknownFields) deletePath(object, field);
  return object;
}

export function prepareWrite(type: ResourceType, given: KubeObject, options: PrepareOptions): KubeObject {
  const object = structuredClone(applyBuiltinDefaults(type, applyWriteDefaults(type, given), options.creating));
  const causes: StatusCause[] = [];
  if (type.schema) {
    const findings = applySchema(object, type.schema);
    const typeError = findings.causes.find((c) => c.reason === "FieldValueTypeInvalid");
    // A built-in is a Go struct: a wrong JSON type fails decoding (400) before strict decoding or validation.
    if (!type.custom && typeError) throw decodeError(type, typeError, object);
    reportUnknown(type, findings.unknownFields, options);
    causes.push(...findings.causes);
  }
  causes.push(...builtinCauses(type, object));
  if (causes.length > 0) throw invalid(groupKind(type), object.metadata.name ?? "", causes);
  return object;
}

function reportUnknown(type: ResourceType, fields: string[], options: Omit<PrepareOptions, "creating">): void {
  if (fields.length === 0) return;
  const mode = options.fieldValidation ?? "Warn";
  if (mode === "Strict")
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${fields.map((f) => `unknown field "${f}"`).join(", ")}`,
    );
  if (mode === "Warn") for (const field of fields) options.warn?.(`unknown field "${field}"`);
}

/**
 * Go's decoding error: the struct holding the field, the field's JSON path without indices (map keys
 * are not fields: it stops at the map) and the Go type it decodes into, e.g. `Go struct field
 * PodSpec.spec.containers of type []v1.Container` or `ConfigMap.data of type string`.
 */
function decodeError(type: ResourceType, cause: StatusCause, object: KubeObject): ApiError {
  const path = (cause.field ?? "").replace(/\[\d+\]/g, "").split(".");
  const value = valueAt(object, cause.field ?? "");
  const goValue = Array.isArray(value) ? "array" : typeof value === "boolean" ? "bool" : typeof value;
  const fields: string[] = [];
  let struct = type.kind;
  let schema: StructuralSchema | undefined = type.schema;
  let target: StructuralSchema | undefined = schema;
  for (const key of path) {
    const property: StructuralSchema | undefined = schema?.properties?.[key];
    if (!property) {
      target = typeof schema?.additionalProperties === "object" ? schema.additionalProperties : target;
      break;
    }
    if (fields.length > 0 && schema?.["x-go-type"]) struct = schema["x-go-type"].replace(/^(\[\])?\w+\./, "");
    fields.push(key);
    target = property;
    schema = property.items ?? property;
  }
  const expected = /must be of type (\w+)/.exec(cause.message)?.[1] ?? "string";
  const go = target?.["x-go-type"] ?? { integer: "int32", boolean: "bool", number: "float64" }[expected] ?? expected;
  return badRequest(
    `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ${goValue} into Go struct field ${struct}.${fields.join(".")} of type ${go}`,
  );
}

/** The value at a dotted path with indices (`spec.containers[0].image`). */
function valueAt(object: KubeObject, path: string): unknown {
  let at: unknown = object;
  for (const key of keysOf(path)) at = (at as Record<string, unknown> | undefined)?.[key];
  return at;
}

const keysOf = (path: string): string[] => path.split(/\.|\[(\d+)\]/).filter((k): k is string => k !== undefined && k !== "");

function deletePath(object: KubeObject, path: string): void {
  const keys = keysOf(path);
  const parent = valueAt(object, keys.slice(0, -1).join("."));
  if (parent && typeof parent === "object") delete (parent as Record<string, unknown>)[keys[keys.length - 1] as string];
}
