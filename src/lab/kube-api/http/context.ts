import type { IncomingMessage, ServerResponse } from "node:http";
import type { ObjectApi } from "../api/object-api.js";
import type { FieldValidation, WriteOptions } from "../api/options.js";
import type { Registry } from "../registry/registry.js";
import { invalid } from "../status.js";
import type { Store } from "../store/store.js";
import type { WatchSet } from "./watch-set.js";

/** What every handler shares: the emulator's state. */
export interface ApiContext {
  /** Every read and write goes through here. */
  api: ObjectApi;
  store: Store;
  registry: Registry;
  clock: () => Date;
  /** Open watch streams, ended when the server closes. */
  watches: WatchSet;
}

/** One request, parsed once by the server. */
export interface ApiRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  pathname: string;
  query: URLSearchParams;
  accept: string;
  contentType: string | undefined;
  userAgent: string;
  /** Warnings for the client, sent as `Warning` headers with the answer (unknown fields under fieldValidation=Warn). */
  warnings: string[];
}

/** The field manager of a write: `?fieldManager=`, else the user agent up to its first slash, as the real server does. */
export function fieldManagerOf(request: ApiRequest): string {
  const given = request.query.get("fieldManager");
  if (given) return given;
  const prefix = request.userAgent.split("/")[0]?.trim() ?? "";
  return (prefix || "unknown").slice(0, 128);
}

/** `dryRun=All`: validate and answer, persist nothing. Any other value is refused, as by the real server (before it could write). */
export function isDryRun(request: ApiRequest, kind = "CreateOptions"): boolean {
  const values = request.query.getAll("dryRun");
  const unsupported = values.filter((v) => v !== "All");
  if (unsupported.length > 0)
    throw invalid(`${kind}.meta.k8s.io`, "", [
      {
        reason: "FieldValueNotSupported",
        field: "dryRun",
        message: `Unsupported value: []string{${values.map((v) => JSON.stringify(v)).join(", ")}}: supported values: "All"`,
      },
    ]);
  return values.length > 0;
}

const FIELD_VALIDATIONS: FieldValidation[] = ["Ignore", "Strict", "Warn"];

/** The write options a request's query carries; warnings are collected on the request. */
export function writeOptionsOf(request: ApiRequest, subresource: "status" | undefined, kind = "CreateOptions"): WriteOptions {
  const fieldValidation = request.query.get("fieldValidation");
  if (fieldValidation && !FIELD_VALIDATIONS.includes(fieldValidation as FieldValidation))
    throw invalid(`${kind}.meta.k8s.io`, "", [
      {
        reason: "FieldValueNotSupported",
        field: "fieldValidation",
        message: `Unsupported value: ${JSON.stringify(fieldValidation)}: supported values: "Ignore", "Strict", "Warn"`,
      },
    ]);
  return {
    fieldManager: fieldManagerOf(request),
    dryRun: isDryRun(request, kind),
    ...(subresource ? { subresource } : {}),
    ...(fieldValidation ? { fieldValidation: fieldValidation as FieldValidation } : {}),
    warn: (message) => request.warnings.push(message),
  };
}

/** The `Warning` headers of a response (RFC 7234 code 299, as the real server sends them). */
export function warningHeaders(request: ApiRequest): Record<string, string[]> {
  return request.warnings.length > 0 ? { Warning: request.warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
}
