import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { KubeApiControl } from "../control/control.js";
import type { FaultAction, FaultSet } from "../control/faults.js";
import { handleControl } from "../control/http.js";
import type { RequestLog } from "../control/request-log.js";
import { ApiError, methodNotAllowed, unauthorized } from "../status.js";
import { pathNotFound, reasonForStatus, statusError } from "../status-codes.js";
import type { ApiContext, ApiRequest } from "./context.js";
import {
  handleDiscovery,
  handleGroup,
  handleGroupVersion,
  handleHealth,
  handleOpenapi,
  handleOpenapiV2,
  handleVersion,
} from "./discovery.js";
import { handleResource } from "./resource.js";
import { sendError, sendJson } from "./respond.js";
import { type Route, route } from "./router.js";
import type { TlsMaterial } from "./tls.js";

/** Everything the HTTP layer serves. */
export interface ServerParts {
  context: ApiContext;
  control: KubeApiControl;
  faults: FaultSet;
  log: RequestLog;
  tls?: TlsMaterial;
  /** Required bearer token (TLS only). */
  token?: string;
}

/** The HTTP(S) server plus what it needs to shut down promptly. */
export interface ApiServer {
  server: Server;
  /** Ends watches and stalled requests, closes every connection; idempotent. */
  close(): Promise<void>;
}

/** Paths the real apiserver also serves to clients that present no credentials. */
const PUBLIC_ROUTES = new Set<Route["kind"]>(["version", "health"]);

/** Creates (without listening) the server: auth, request log, faults, then routing to the handlers. */
export function createApiServer(parts: ServerParts): ApiServer {
  const stalled = new Set<ServerResponse>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    serve(parts, stalled, req, res).catch((error: unknown) => sendError(res, error));
  };
  const server: Server = parts.tls
    ? (createHttpsServer({ key: parts.tls.key, cert: parts.tls.cert }, onRequest) as unknown as Server)
    : createHttpServer(onRequest);
  // Longer than any client's idle timeout, so a client never races the server closing an idle connection.
  server.keepAliveTimeout = 120_000;
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => rejectMalformed(error, socket));
  // Every TCP socket, also those still in the TLS handshake, which closeAllConnections() does not know yet.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((resolve) => {
      parts.context.watches.endAll();
      for (const res of stalled) res.socket?.destroy();
      stalled.clear();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
  return { server, close };
}

async function serve(parts: ServerParts, stalled: Set<ServerResponse>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const time = parts.context.clock().toISOString();
  const rawUrl = req.url ?? "/";
  const queryAt = rawUrl.indexOf("?");
  const pathname = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
  const search = queryAt < 0 ? "" : rawUrl.slice(queryAt);
  const request: ApiRequest = {
    req,
    res,
    method: (req.method ?? "GET").toUpperCase(),
    pathname,
    query: new URLSearchParams(search),
    accept: headerOf(req, "accept"),
    contentType: req.headers["content-type"],
    userAgent: headerOf(req, "user-agent"),
    warnings: [],
  };
  const target = route(pathname);
  const markFault =
    target.kind === "control"
      ? undefined
      : parts.log.start(
          { method: request.method, path: pathname, query: Object.fromEntries(request.query), userAgent: request.userAgent, time },
          res,
        );
  if (!pathname.startsWith("/")) throw new ApiError(400, "BadRequest", `invalid request URI: ${JSON.stringify(rawUrl)}`);
  if (!authorized(parts.token, req, target)) throw unauthorized();
  if (target.kind === "control") return handleControl(parts.control, parts.faults, request, target.path);
  const fault = parts.faults.take(request.method, pathname, search);
  if (fault) markFault?.(fault.kind);
  if (fault && (await applyFault(fault, request, stalled))) return;
  await dispatch(parts.context, request, target);
}

/** Acts out a fault; true when the request is done with (answered, dropped or left hanging). */
async function applyFault(fault: FaultAction, request: ApiRequest, stalled: Set<ServerResponse>): Promise<boolean> {
  const { res } = request;
  if (fault.kind === "drop") {
    res.socket?.destroy();
    return true;
  }
  if (fault.delayMs > 0) await sleep(fault.delayMs);
  if (res.destroyed) return true;
  if (fault.kind === "hang") {
    // Drain the body so the client keeps waiting on the answer, not on its upload.
    request.req.resume();
    stalled.add(res);
    res.on("close", () => stalled.delete(res));
    return true;
  }
  if (fault.kind === "status") {
    const error = statusError(fault.status, reasonForStatus(fault.status), fault.message);
    sendJson(
      res,
      fault.status,
      error.toStatus(),
      "application/json",
      fault.status === 429 || fault.status === 503 ? { "Retry-After": "1" } : {},
    );
    return true;
  }
  return false;
}

async function dispatch(context: ApiContext, request: ApiRequest, target: Route): Promise<void> {
  const readOnly = target.kind !== "resource" && target.kind !== "unknown";
  if (readOnly && request.method !== "GET" && request.method !== "HEAD") throw methodNotAllowed(request.method);
  switch (target.kind) {
    case "version":
      return handleVersion(request);
    case "health":
      return handleHealth(request);
    case "discovery":
      return handleDiscovery(context, request, target.which);
    case "group":
      return handleGroup(context, request, target.group);
    case "group-version":
      return handleGroupVersion(context, request, target.group, target.version);
    case "openapi-v3-root":
      return handleOpenapi(context, request);
    case "openapi-v3":
      return handleOpenapi(context, request, target.groupVersionPath);
    case "openapi-v2":
      return handleOpenapiV2(context, request);
    case "resource":
      return handleResource(context, request, target);
    default:
      throw pathNotFound();
  }
}

function authorized(token: string | undefined, req: IncomingMessage, target: Route): boolean {
  if (token === undefined) return true;
  const header = req.headers.authorization;
  if (header === undefined) return PUBLIC_ROUTES.has(target.kind);
  return header === `Bearer ${token}`;
}

/** A request Node could not even parse: answer 400 with a Status when the socket still can, then close it. */
function rejectMalformed(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = new ApiError(400, "BadRequest", `malformed HTTP request: ${error.code ?? error.message}`).toStatus();
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function headerOf(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(",") : (value ?? "");
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
