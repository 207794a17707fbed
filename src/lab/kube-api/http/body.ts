import type { IncomingMessage } from "node:http";
import { parseAllDocuments } from "yaml";
import { type ApiError, badRequest } from "../status.js";
import { statusError } from "../status-codes.js";
import { checkDepth } from "./body-depth.js";
import { decodeProtobufObject, isProtobuf } from "./body-protobuf.js";

/** The real apiserver refuses request bodies above 3 MiB. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

/**
 * Reads the whole request body; over the limit → 413 Status at once, and the rest is drained
 * unread (the connection closes after the answer) rather than destroyed, so the client sees it.
 */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    const overflow = () => {
      req.removeListener("data", onData);
      req.removeListener("end", onEnd);
      req.resume();
      reject(tooLarge(limit));
    };
    if (Number.isFinite(declared) && declared > limit) {
      overflow();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size > limit) overflow();
      else chunks.push(chunk);
    }
    function onEnd(): void {
      resolve(Buffer.concat(chunks));
    }
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", reject);
  });
}

function tooLarge(limit: number): ApiError {
  return statusError(413, "RequestEntityTooLarge", `Request entity too large: limit is ${limit}`);
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/** Parses a JSON body the way the apiserver words its errors (`… json parse error: …`). */
export function parseJsonBody(body: Buffer, what = "couldn't get version/kind; json parse error"): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") throw badRequest(`${what}: unexpected end of JSON input`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw badRequest(`${what}: ${(error as Error).message}`);
  }
  checkDepth(value, what);
  return value;
}

/** Parses a single-document YAML (or JSON, which is YAML) body. */
export function parseYamlBody(body: Buffer): unknown {
  let values: unknown[];
  try {
    const docs = parseAllDocuments(body.toString("utf8"));
    const errors = docs.flatMap((d) => d.errors);
    if (errors.length > 0) throw badRequest(`error converting YAML to JSON: ${errors[0]?.message ?? "invalid YAML"}`);
    values = docs.map((d) => d.toJS() as unknown).filter((v) => v !== null && v !== undefined);
  } catch (error) {
    // The YAML parser recurses: a pathologically nested document exhausts the stack before checkDepth could look.
    if (error instanceof RangeError) throw badRequest(`error converting YAML to JSON: ${error.message}`);
    // An alias bomb ("billion laughs"): the parser refuses to expand it; so does the real server (400).
    if (error instanceof ReferenceError) throw badRequest(`error converting YAML to JSON: yaml: ${error.message}`);
    throw error;
  }
  if (values.length !== 1) throw badRequest(`error converting YAML to JSON: expected one document, got ${values.length}`);
  checkDepth(values[0], "error converting YAML to JSON");
  return values[0];
}

const OBJECT_MEDIA_TYPES = new Set(["", "application/json", "application/yaml", "*/*"]);

/** Parses an object body for create/update: JSON or YAML by Content-Type (415 for others); must be a JSON object. */
export function parseObjectBody(body: Buffer, contentType: string | undefined): Record<string, unknown> {
  const type = mediaType(contentType);
  if (isProtobuf(type)) return decodeProtobufObject(body);
  if (!OBJECT_MEDIA_TYPES.has(type))
    throw statusError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/cbor`,
    );
  const value = type === "application/yaml" ? parseYamlBody(body) : parseJsonBody(body);
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw badRequest("couldn't get version/kind; json parse error: the body is not a JSON object");
  return value as Record<string, unknown>;
}
