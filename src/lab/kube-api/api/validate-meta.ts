/**
 * The ObjectMeta checks the real server makes on every create and update (apimachinery's
 * ValidateObjectMeta), with its messages: a manifest the real cluster refuses must not pass in the lab.
 */

import { groupKind, isNamespaceType } from "../registry/names.js";
import { labelKeyErrors, labelValueErrors } from "../selectors/label.js";
import { badRequest, invalid, type StatusCause } from "../status.js";
import type { ObjectMeta, ResourceType } from "../types.js";

const DNS1123_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
/** The real limit on the summed size of an object's annotation keys and values. */
const TOTAL_ANNOTATION_BYTES = 256 * 1024;

/** 400 for metadata of the wrong JSON shape, 422 listing every invalid name, label, annotation and finalizer. */
export function validateObjectMeta(type: ResourceType, metadata: ObjectMeta): void {
  checkShapes(metadata);
  const causes: StatusCause[] = [];
  const invalidValue = (field: string, value: string, why: string) =>
    causes.push({ reason: "FieldValueInvalid", field, message: `Invalid value: ${JSON.stringify(value)}: ${why}` });
  if (typeof metadata.name === "string")
    for (const why of nameErrors(type, metadata.name)) invalidValue("metadata.name", metadata.name, why);
  for (const [key, value] of Object.entries(metadata.labels ?? {})) {
    for (const why of labelKeyErrors(key)) invalidValue("metadata.labels", key, why);
    for (const why of labelValueErrors(value)) invalidValue("metadata.labels", value, why);
  }
  let annotationBytes = 0;
  for (const [key, value] of Object.entries(metadata.annotations ?? {})) {
    for (const why of labelKeyErrors(key.toLowerCase())) invalidValue("metadata.annotations", key, why);
    annotationBytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (annotationBytes > TOTAL_ANNOTATION_BYTES)
    causes.push({
      reason: "FieldValueTooLong",
      field: "metadata.annotations",
      message: `Too long: must have at most ${TOTAL_ANNOTATION_BYTES} bytes`,
    });
  for (const finalizer of metadata.finalizers ?? [])
    for (const why of labelKeyErrors(finalizer)) invalidValue("metadata.finalizers", finalizer, why);
  if (causes.length > 0) throw invalid(groupKind(type), typeof metadata.name === "string" ? metadata.name : "", causes);
}

/** Namespaces are named by RFC 1123 labels, everything else the emulator serves by subdomains. */
function nameErrors(type: ResourceType, name: string): string[] {
  if (name === "") return [];
  const label = isNamespaceType(type);
  const [pattern, max] = label ? [DNS1123_LABEL, 63] : [DNS1123_SUBDOMAIN, 253];
  const errors = name.length > max ? [`must be no more than ${max} characters`] : [];
  if (!new RegExp(`^${pattern}$`).test(name))
    errors.push(
      label
        ? `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${pattern}')`
        : `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${pattern}')`,
    );
  return errors;
}

/** Wrong JSON types fail decoding on the real server, before any validation; worded as Go's decoder words it. */
function checkShapes(metadata: ObjectMeta): void {
  const wrong = (field: string, value: unknown, want: string) =>
    badRequest(`json: cannot unmarshal ${jsonType(value)} into Go struct field ObjectMeta.metadata.${field} of type ${want}`);
  for (const field of ["name", "generateName", "namespace", "resourceVersion", "uid"] as const) {
    const value = metadata[field];
    if (value !== undefined && value !== null && typeof value !== "string") throw wrong(field, value, "string");
  }
  for (const field of ["labels", "annotations"] as const) {
    const map: unknown = metadata[field];
    if (map === undefined || map === null) continue;
    if (typeof map !== "object" || Array.isArray(map)) throw wrong(field, map, "map[string]string");
    for (const value of Object.values(map)) if (typeof value !== "string") throw wrong(field, value, "string");
  }
  const finalizers: unknown = metadata.finalizers;
  if (finalizers !== undefined && finalizers !== null) {
    if (!Array.isArray(finalizers)) throw wrong("finalizers", finalizers, "[]string");
    for (const value of finalizers) if (typeof value !== "string") throw wrong("finalizers", value, "string");
  }
  const owners: unknown = metadata.ownerReferences;
  if (owners !== undefined && owners !== null && !Array.isArray(owners)) throw wrong("ownerReferences", owners, "[]v1.OwnerReference");
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}
