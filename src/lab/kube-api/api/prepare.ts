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
  if (type.schema) {
    const { unknownFields, causes } = applySchema(object, type.schema);
    reportUnknown(type, unknownFields, options);
    const typeErrors = causes.filter((c) => c.reason === "FieldValueTypeInvalid");
    // A built-in is a Go struct: a wrong JSON type fails decoding (400) before any validation.
    if (!type.custom && typeErrors[0]) throw decodeError(type, typeErrors[0], object);
    causes.push(...builtinCauses(type, object));
    if (causes.length > 0) throw invalid(groupKind(type), object.metadata.name ?? "", causes);
    return object;
  }
  const causes = builtinCauses(type, object);
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

/** Go's decoding error, as near as the lab can name the struct field: `ConfigMap.data of type string`. */
function decodeError(type: ResourceType, cause: StatusCause, object: KubeObject): ApiError {
  const path = (cause.field ?? "").replace(/\[\d+\]/g, "").split(".");
  const value = path.reduce<unknown>((at, key) => (at as Record<string, unknown> | undefined)?.[key], object);
  const goType = Array.isArray(value) ? "array" : typeof value === "boolean" ? "bool" : typeof value;
  // Map keys are not struct fields: stop at the map.
  const fields: string[] = [];
  let schema: StructuralSchema | undefined = type.schema;
  for (const key of path) {
    const property: StructuralSchema | undefined = schema?.properties?.[key];
    if (!property) break;
    fields.push(key);
    schema = property.items ?? property;
  }
  const expected = /must be of type (\w+)/.exec(cause.message)?.[1] ?? "string";
  const go = { integer: "int32", boolean: "bool", number: "float64" }[expected] ?? expected;
  return badRequest(
    `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ${goType} into Go struct field ${type.kind}.${fields.join(".")} of type ${go}`,
  );
}

function deletePath(object: KubeObject, path: string): void {
  const keys = path.split(".");
  let at: unknown = object;
  for (const key of keys.slice(0, -1)) at = (at as Record<string, unknown> | undefined)?.[key];
  if (at && typeof at === "object") delete (at as Record<string, unknown>)[keys[keys.length - 1] as string];
}
