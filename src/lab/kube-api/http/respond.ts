import type { ServerResponse } from "node:http";
import { ApiError, internalError } from "../status.js";

/** Sends a JSON body with a Content-Length (never chunked, so clients see complete bodies). */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  contentType = "application/json",
  headers: Record<string, string | string[]> = {},
): void {
  const text = JSON.stringify(body);
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    "Content-Type": contentType,
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-cache, private",
    ...headers,
  });
  res.end(text);
}

/** Sends a plain-text body (health endpoints). */
export function sendText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Turns any thrown value into a Status response; an unexpected error becomes 500, never a crash. */
export function sendError(res: ServerResponse, error: unknown): void {
  const apiError = toApiError(error);
  sendJson(res, apiError.code, apiError.toStatus());
}

/** The ApiError for anything thrown: bugs become InternalError carrying their message. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return internalError(error instanceof Error ? error.message : String(error));
}
