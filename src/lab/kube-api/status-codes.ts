import { ApiError, type StatusReason } from "./status.js";

/** An ApiError whose reason is one the shared StatusReason list lacks (413, 429, 503…), spelled as the real server does. */
export function statusError(code: number, reason: string, message: string): ApiError {
  return new ApiError(code, reason as unknown as StatusReason, message);
}

/** The reason the real server gives with each HTTP status, for injected faults. */
export function reasonForStatus(code: number): string {
  const reasons: Record<number, string> = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "Conflict",
    410: "Expired",
    413: "RequestEntityTooLarge",
    415: "UnsupportedMediaType",
    422: "Invalid",
    429: "TooManyRequests",
    500: "InternalError",
    503: "ServiceUnavailable",
    504: "Timeout",
  };
  return reasons[code] ?? (code >= 500 ? "InternalError" : "BadRequest");
}

/** 404 for a path no API serves, worded as the real server's. */
export const pathNotFound = (): ApiError => new ApiError(404, "NotFound", "the server could not find the requested resource");
