/**
 * Structural schemas (the openAPIV3Schema of a CRD version, and the small ones the lab gives a few
 * built-ins): unknown fields found (for fieldValidation) and pruned, `default:` applied, and types,
 * `enum` and `required` checked with the apiextensions server's messages. The real Longhorn and Flux
 * CRDs carry such schemas, so a manifest the real cluster refuses or prunes must fare the same here.
 */
import type { StatusCause } from "../status.js";

export interface StructuralSchema {
  type?: "object" | "array" | "string" | "integer" | "number" | "boolean";
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  /** Built-ins only: the Go type the real server decodes this node into (`v1.PodSpec`, `[]string`), for its decoding errors. */
  "x-go-type"?: string;
}

/** What walking an object against its schema found; the object itself is pruned and defaulted in place. */
export interface SchemaFindings {
  /** Paths of fields the schema does not know (`spec.foo`), in document order. */
  unknownFields: string[];
  /** Type, enum and required violations, as 422 causes. */
  causes: StatusCause[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** Go's name for a JSON value's type, as the messages spell it. */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value === "object" ? "object" : typeof value;
}

function typeMatches(schema: StructuralSchema, value: unknown): boolean {
  if (schema["x-kubernetes-int-or-string"]) return typeof value === "string" || Number.isInteger(value);
  if (!schema.type) return true;
  if (value === null) return schema.nullable === true;
  const actual = typeName(value);
  return actual === schema.type || (schema.type === "number" && actual === "integer");
}

/**
 * Prunes, defaults and checks `object` (the whole object; apiVersion, kind and metadata are left to
 * the caller) against `schema`, the object's root schema.
 */
export function applySchema(object: Json, schema: StructuralSchema): SchemaFindings {
  const findings: SchemaFindings = { unknownFields: [], causes: [] };
  walkObject(object, schema, "", findings, true);
  return findings;
}

function walk(value: unknown, schema: StructuralSchema, path: string, findings: SchemaFindings): void {
  if (!typeMatches(schema, value)) {
    findings.causes.push({
      reason: "FieldValueTypeInvalid",
      field: path,
      message: `Invalid value: "${typeName(value)}": ${path} in body must be of type ${schema.type ?? "object"}: "${typeName(value)}"`,
    });
    return;
  }
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value)))
    findings.causes.push({
      reason: "FieldValueNotSupported",
      field: path,
      message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`,
    });
  if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => {
      walk(item, items, `${path}[${i}]`, findings);
    });
  } else if (isObject(value)) walkObject(value, schema, path, findings, schema["x-kubernetes-embedded-resource"] === true);
}

function walkObject(object: Json, schema: StructuralSchema, path: string, findings: SchemaFindings, root: boolean): void {
  const properties = schema.properties ?? {};
  for (const [key, property] of Object.entries(properties))
    if (object[key] === undefined && property.default !== undefined) object[key] = structuredClone(property.default);
  for (const key of schema.required ?? [])
    if (object[key] === undefined)
      findings.causes.push({ reason: "FieldValueRequired", field: join(path, key), message: "Required value" });
  const open = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const additional = typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined;
  for (const [key, value] of Object.entries(object)) {
    if (root && (key === "apiVersion" || key === "kind" || key === "metadata")) continue;
    const property = properties[key] ?? additional;
    if (property) {
      walk(value, property, join(path, key), findings);
      continue;
    }
    if (open || schema.additionalProperties === true || (!schema.properties && !schema.type)) continue;
    findings.unknownFields.push(join(path, key));
    delete object[key];
  }
}
