/**
 * Kubernetes Status errors, shaped as the real API server sends them so that the
 * real kubectl prints the real messages. Every layer of the emulator throws these.
 */

export type StatusReason =
  | "BadRequest"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "MethodNotAllowed"
  | "AlreadyExists"
  | "Conflict"
  | "Expired"
  | "Gone"
  | "Invalid"
  | "UnsupportedMediaType"
  | "Timeout"
  | "TooManyRequests"
  | "InternalError";

export interface StatusCause {
  reason?: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  /** The resource's plural name for NotFound/AlreadyExists/Conflict (as the real server does). */
  kind?: string;
  causes?: StatusCause[];
  /** 429: when the client may try again. */
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: { continue?: string };
  status: "Failure";
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** Thrown anywhere in the emulator; the server turns it into the HTTP response. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
    /** ListMeta of the Status (an expired continue token's replacement). */
    readonly listMeta?: { continue?: string },
  ) {
    super(message);
    this.name = "ApiError";
  }

  toStatus(): Status {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: this.listMeta ?? {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

/** What a resource is called in messages: `pods`, `nodes.longhorn.io`, `leases.coordination.k8s.io`. */
export interface ResourceName {
  group: string;
  resource: string;
}

export const qualifiedName = (r: ResourceName): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

export const notFound = (r: ResourceName, name: string): ApiError =>
  new ApiError(404, "NotFound", `${qualifiedName(r)} "${name}" not found`, {
    name,
    group: r.group,
    kind: r.resource,
  });

export const alreadyExists = (r: ResourceName, name: string): ApiError =>
  new ApiError(409, "AlreadyExists", `${qualifiedName(r)} "${name}" already exists`, {
    name,
    group: r.group,
    kind: r.resource,
  });

export const conflict = (r: ResourceName, name: string): ApiError =>
  new ApiError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualifiedName(r)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group: r.group, kind: r.resource },
  );

/**
 * 422 as apimachinery's NewInvalid: the message names the group-qualified kind (`Node.longhorn.io`),
 * the details carry group and kind apart (`{group: "longhorn.io", kind: "Node"}`; kubectl prints
 * `The Node "k3s1" is invalid`, the Python client and client-node read them), and several distinct
 * causes are bracketed as Go's aggregate error prints them.
 */
export const invalid = (groupKind: string, name: string, causes: StatusCause[]): ApiError => {
  const dot = groupKind.indexOf(".");
  const [kind, group] = dot < 0 ? [groupKind, ""] : [groupKind.slice(0, dot), groupKind.slice(dot + 1)];
  const messages = [...new Set(causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)))];
  const summary = messages.length > 1 ? `[${messages.join(", ")}]` : (messages[0] ?? "");
  return new ApiError(422, "Invalid", `${groupKind} "${name}" is invalid${summary ? `: ${summary}` : ""}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes,
  });
};

export const badRequest = (message: string): ApiError => new ApiError(400, "BadRequest", message);

export const gone = (requested: string, oldest: string): ApiError =>
  new ApiError(410, "Expired", `too old resource version: ${requested} (${oldest})`);

/** etcd's answer to a list at a compacted revision (storage/etcd3/errors.go): 410 Expired, no details. */
export const listExpired = (): ApiError => new ApiError(410, "Expired", "The resourceVersion for the provided list is too old.");

/**
 * A continue token whose revision was compacted: 410 with a new token that continues from the same
 * key at the latest revision (an inconsistent list), as etcd3's handleCompactedErrorForPaging answers.
 */
export const continueExpired = (inconsistentToken: string): ApiError =>
  new ApiError(
    410,
    "Expired",
    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
    undefined,
    { continue: inconsistentToken },
  );

export const unauthorized = (): ApiError => new ApiError(401, "Unauthorized", "Unauthorized");

export const methodNotAllowed = (method: string): ApiError =>
  new ApiError(405, "MethodNotAllowed", `the server does not allow this method on the requested resource (${method})`);

export const unsupportedPatchType = (): ApiError =>
  new ApiError(
    415,
    "UnsupportedMediaType",
    "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
  );

export const internalError = (message: string): ApiError => new ApiError(500, "InternalError", `Internal error occurred: ${message}`);
