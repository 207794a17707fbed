/**
 * Builders for the built-ins' schemas, each node carrying the Go type the real server decodes into
 * (`x-go-type`), so a wrong JSON type is refused with Go's own words: `json: cannot unmarshal string
 * into Go struct field PodSpec.spec.containers of type []v1.Container`.
 */
import type { StructuralSchema } from "../api/structural-schema.js";

export const str: StructuralSchema = { type: "string", "x-go-type": "string" };
export const bool: StructuralSchema = { type: "boolean", "x-go-type": "bool" };
export const int32: StructuralSchema = { type: "integer", "x-go-type": "int32" };
export const int64: StructuralSchema = { type: "integer", "x-go-type": "int64" };
export const intOrString: StructuralSchema = { "x-kubernetes-int-or-string": true, "x-go-type": "intstr.IntOrString" };
export const stringMap: StructuralSchema = { type: "object", additionalProperties: str, "x-go-type": "map[string]string" };
export const enumOf = (values: string[]): StructuralSchema => ({ ...str, enum: values });

/** A Go struct with exactly these JSON fields: any other is an unknown field, as on the real server. */
export const struct = (goName: string, properties: Record<string, StructuralSchema>, required?: string[]): StructuralSchema => ({
  type: "object",
  properties,
  "x-go-type": goName,
  ...(required ? { required } : {}),
});

/** A struct the lab does not look into (affinity, probes, volume sources): typed as an object, kept as sent. */
export const opaque = (goName: string): StructuralSchema => ({
  type: "object",
  "x-kubernetes-preserve-unknown-fields": true,
  "x-go-type": goName,
});

export const listOf = (items: StructuralSchema): StructuralSchema => ({
  type: "array",
  items,
  "x-go-type": `[]${items["x-go-type"] ?? "interface {}"}`,
});

/** A map of quantities (resource requests, capacity). */
export const quantities: StructuralSchema = { type: "object", additionalProperties: intOrString, "x-go-type": "v1.ResourceList" };
