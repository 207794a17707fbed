import { rm } from "node:fs/promises";
import http from "node:http";

/** A control route: the request's JSON body in, a JSON answer out (an Error becomes a 400 with its message). */
export type ControlRoute = (body: unknown) => Promise<unknown>;

/**
 * The daemon's control interface for `lab status` and `lab fault`: HTTP with JSON bodies on a
 * unix socket in the lab directory (mode 0600: root only), never on the network.
 */
export async function startControlServer(socketPath: string, routes: Record<string, ControlRoute>): Promise<{ close(): Promise<void> }> {
  await rm(socketPath, { force: true });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const route = routes[`${req.method} ${req.url}`];
      const answer = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (!route) return answer(404, { error: `no route ${req.method} ${req.url}` });
      try {
        const text = Buffer.concat(chunks).toString("utf8");
        answer(200, await route(text ? JSON.parse(text) : undefined));
      } catch (error) {
        answer(400, { error: (error as Error).message });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Calls a route of a running daemon; rejects when it is not there or answers an error. */
export function callControl(
  socketPath: string,
  method: "GET" | "POST",
  route: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path: route, headers: { "content-type": "application/json" } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const value = JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") as { error?: string };
        if ((res.statusCode ?? 500) >= 400) reject(new Error(value?.error ?? `control answered ${res.statusCode}`));
        else resolve(value);
      });
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`the lab daemon did not answer ${route} within ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}
