/**
 * Decodes the protobuf bodies kubectl's typed clients send (`kubectl create namespace|configmap|
 * secret`, the DeleteOptions of `kubectl drain`): the `k8s\0` envelope around runtime.Unknown,
 * then the object by a small field table per kind. Answers are always JSON, which those clients
 * also accept.
 */
import { ApiError } from "../status.js";

type Scalar = "string" | "bytes" | "int" | "bool" | "time" | "microtime";
interface Field {
  name: string;
  type: Scalar | Schema | { map: Scalar };
  repeated?: boolean;
}
type Schema = Record<number, Field>;

const TIME: Scalar = "time";
const MAP_OF_STRINGS = { map: "string" as const };

const OWNER_REFERENCE: Schema = {
  1: { name: "kind", type: "string" },
  3: { name: "name", type: "string" },
  4: { name: "uid", type: "string" },
  5: { name: "apiVersion", type: "string" },
  6: { name: "controller", type: "bool" },
  7: { name: "blockOwnerDeletion", type: "bool" },
};

const DELETE_OPTIONS: Schema = {
  1: { name: "gracePeriodSeconds", type: "int" },
  2: { name: "preconditions", type: { 1: { name: "uid", type: "string" }, 2: { name: "resourceVersion", type: "string" } } },
  3: { name: "orphanDependents", type: "bool" },
  4: { name: "propagationPolicy", type: "string" },
  5: { name: "dryRun", type: "string", repeated: true },
};

const OBJECT_META: Schema = {
  1: { name: "name", type: "string" },
  2: { name: "generateName", type: "string" },
  3: { name: "namespace", type: "string" },
  5: { name: "uid", type: "string" },
  6: { name: "resourceVersion", type: "string" },
  7: { name: "generation", type: "int" },
  8: { name: "creationTimestamp", type: TIME },
  9: { name: "deletionTimestamp", type: TIME },
  10: { name: "deletionGracePeriodSeconds", type: "int" },
  11: { name: "labels", type: MAP_OF_STRINGS },
  12: { name: "annotations", type: MAP_OF_STRINGS },
  13: { name: "ownerReferences", type: OWNER_REFERENCE, repeated: true },
  14: { name: "finalizers", type: "string", repeated: true },
};

/** Field tables of the kinds whose protobuf bodies are decoded, by `apiVersion/kind`. */
const KINDS: Record<string, Schema> = {
  "v1/Namespace": {
    1: { name: "metadata", type: OBJECT_META },
    2: { name: "spec", type: { 1: { name: "finalizers", type: "string", repeated: true } } },
    3: { name: "status", type: { 1: { name: "phase", type: "string" } } },
  },
  "v1/ConfigMap": {
    1: { name: "metadata", type: OBJECT_META },
    2: { name: "data", type: MAP_OF_STRINGS },
    3: { name: "binaryData", type: { map: "bytes" } },
    4: { name: "immutable", type: "bool" },
  },
  "v1/Secret": {
    1: { name: "metadata", type: OBJECT_META },
    2: { name: "data", type: { map: "bytes" } },
    3: { name: "type", type: "string" },
    4: { name: "stringData", type: MAP_OF_STRINGS },
    5: { name: "immutable", type: "bool" },
  },
  "coordination.k8s.io/v1/Lease": {
    1: { name: "metadata", type: OBJECT_META },
    2: {
      name: "spec",
      type: {
        1: { name: "holderIdentity", type: "string" },
        2: { name: "leaseDurationSeconds", type: "int" },
        3: { name: "acquireTime", type: "microtime" },
        4: { name: "renewTime", type: "microtime" },
        5: { name: "leaseTransitions", type: "int" },
      },
    },
  },
  "v1/DeleteOptions": DELETE_OPTIONS,
  // kubectl drain's evictions.
  "policy/v1/Eviction": { 1: { name: "metadata", type: OBJECT_META }, 2: { name: "deleteOptions", type: DELETE_OPTIONS } },
};

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const ZERO_TIME = "1970-01-01T00:00:00Z";

/** True when a Content-Type is Kubernetes protobuf. */
export function isProtobuf(mediaType: string): boolean {
  return mediaType === "application/vnd.kubernetes.protobuf";
}

/** Decodes a `k8s\0`-framed protobuf body into the JSON object it stands for; 415 for kinds not in the table. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC))
    throw unsupported("the body does not start with the k8s protobuf magic number");
  const unknown = decodeMessage(body.subarray(4), {
    1: { name: "typeMeta", type: { 1: { name: "apiVersion", type: "string" }, 2: { name: "kind", type: "string" } } },
    2: { name: "raw", type: "bytes" },
  }) as { typeMeta?: { apiVersion?: string; kind?: string }; raw?: string };
  const apiVersion = unknown.typeMeta?.apiVersion ?? "";
  const kind = unknown.typeMeta?.kind ?? "";
  // DeleteOptions travel as meta.k8s.io/v1 or as the resource's group version.
  const schema = KINDS[`${apiVersion}/${kind}`] ?? (kind === "DeleteOptions" ? KINDS["v1/DeleteOptions"] : undefined);
  if (!schema)
    throw unsupported(`protobuf bodies are decoded only for ${Object.keys(KINDS).join(", ")}; send ${apiVersion}/${kind} as JSON`);
  const object = decodeMessage(Buffer.from(unknown.raw ?? "", "base64"), schema);
  return { apiVersion, kind, ...object };
}

function unsupported(detail: string): ApiError {
  return new ApiError(415, "UnsupportedMediaType", `the body of the request was in an unknown format - ${detail}`);
}

/** A minimal protobuf reader: varints and length-delimited fields (all these kinds use). */
function decodeMessage(buffer: Buffer, schema: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= buffer.length) throw unsupported("truncated protobuf varint");
      const byte = buffer[at++] as number;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buffer.length) {
    const tag = Number(varint());
    const fieldNo = tag >>> 3;
    const wire = tag & 7;
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 2) {
      const length = Number(varint());
      if (at + length > buffer.length) throw unsupported("truncated protobuf field");
      value = buffer.subarray(at, at + length);
      at += length;
    } else if (wire === 1 || wire === 5) {
      at += wire === 1 ? 8 : 4;
      continue;
    } else throw unsupported(`protobuf wire type ${wire} is not supported`);
    const field = schema[fieldNo];
    if (!field) continue;
    const decoded = decodeValue(field.type, value);
    // proto2 sends empty strings and zero times that Go's JSON would omit.
    if (decoded === "" || decoded === ZERO_TIME) continue;
    if (typeof field.type === "object" && "map" in field.type) {
      const [key, entry] = decoded as [string, unknown];
      out[field.name] = { ...((out[field.name] as object) ?? {}), [key]: entry };
    } else if (field.repeated) out[field.name] = [...((out[field.name] as unknown[]) ?? []), decoded];
    else out[field.name] = decoded;
  }
  return out;
}

function decodeValue(type: Field["type"], value: bigint | Buffer): unknown {
  if (typeof type === "object" && "map" in type) {
    const entry = decodeMessage(value as Buffer, { 1: { name: "key", type: "string" }, 2: { name: "value", type: type.map } });
    return [entry.key ?? "", entry.value ?? ""];
  }
  if (typeof type === "object") return decodeMessage(value as Buffer, type);
  switch (type) {
    case "string":
      return (value as Buffer).toString("utf8");
    case "bytes":
      return (value as Buffer).toString("base64");
    case "int":
      return Number(BigInt.asIntN(64, value as bigint));
    case "bool":
      return value !== 0n;
    case "time":
    case "microtime": {
      const t = decodeMessage(value as Buffer, { 1: { name: "seconds", type: "int" }, 2: { name: "nanos", type: "int" } });
      const iso = new Date(Number(t.seconds ?? 0) * 1000).toISOString().replace(/\.\d{3}Z$/, "");
      if (type === "time") return `${iso}Z`;
      return `${iso}.${String(Math.floor(Number(t.nanos ?? 0) / 1000)).padStart(6, "0")}Z`;
    }
  }
}
