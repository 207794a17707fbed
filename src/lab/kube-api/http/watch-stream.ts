import { ApiError } from "../status.js";
import type { ListFilter } from "../store/store.js";
import type { KubeObject, ResourceType, WatchEvent } from "../types.js";
import type { ApiContext, ApiRequest } from "./context.js";
import { toApiError } from "./respond.js";

/**
 * Bytes of events a watch may hold for a client that is not reading before the server ends the
 * watch, as the real watch cache drops a watcher that does not keep up; the client then re-watches.
 */
export const MAX_UNREAD_WATCH_BYTES = 16 * 1024 * 1024;

/** How a watch was asked for. */
export interface WatchRequest {
  type: ResourceType;
  namespace: string | undefined;
  filter: ListFilter;
  resourceVersion?: string;
  allowBookmarks: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  /** Convert each object into a one-row Table (`kubectl get -w`). */
  asTable?: (object: KubeObject) => unknown;
}

/**
 * Streams watch events as JSON lines on a chunked 200 response. A resourceVersion too old for the
 * history becomes an ERROR event carrying a 410 Status, then the end of the stream, as the real
 * watch cache does.
 */
export function streamWatch(context: ApiContext, request: ApiRequest, watch: WatchRequest): void {
  const { res } = request;
  res.writeHead(200, { "Content-Type": "application/json", "Cache-Control": "no-cache, private", "Transfer-Encoding": "chunked" });
  // Clients wait for the headers before they consider the watch established.
  res.flushHeaders();
  const send = (event: WatchEvent) => {
    if (res.writableEnded || res.destroyed) return;
    const object = watch.asTable && event.type !== "BOOKMARK" && event.type !== "ERROR" ? watch.asTable(event.object) : event.object;
    res.write(`${JSON.stringify({ type: event.type, object })}\n`);
    if (res.writableLength > MAX_UNREAD_WATCH_BYTES) finish();
  };

  let stop: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let ended = false;
  const forget = context.watches.add(() => finish());
  function finish(): void {
    if (ended) return;
    ended = true;
    stop?.();
    if (timer) clearTimeout(timer);
    forget();
    if (!res.writableEnded && !res.destroyed) res.end();
  }
  // In Node the request's 'close' fires once its body is read; the response's marks the client leaving.
  res.on("close", finish);

  try {
    const handle = context.store.watch(
      watch.type,
      watch.namespace,
      {
        ...watch.filter,
        ...(watch.resourceVersion ? { resourceVersion: watch.resourceVersion } : {}),
        allowBookmarks: watch.allowBookmarks,
        ...(watch.sendInitialEvents ? { sendInitialEvents: true } : {}),
        ...(watch.timeoutSeconds ? { deadlineMs: watch.timeoutSeconds * 1000 } : {}),
      },
      send,
    );
    stop = () => handle.stop();
  } catch (error) {
    const apiError = toApiError(error);
    send({ type: "ERROR", object: apiError.toStatus() as unknown as KubeObject });
    finish();
    return;
  }
  if (ended) {
    stop?.();
    return;
  }
  if (watch.timeoutSeconds !== undefined && watch.timeoutSeconds > 0) {
    timer = setTimeout(finish, watch.timeoutSeconds * 1000);
    timer.unref();
  }
}

/** Parses `timeoutSeconds`; a bad value is a 400 as on the real server. */
export function parseTimeoutSeconds(raw: string | null): number | undefined {
  if (raw === null || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ApiError(400, "BadRequest", `invalid value for timeoutSeconds: ${JSON.stringify(raw)}`);
  return n;
}
