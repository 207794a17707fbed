import { InputError } from "../../errors.js";
import type { FaultInfo } from "../../lab/kube-api/control/faults.js";
import { readFixtureObjects } from "../../lab/kube-api/control/fixtures.js";
import type { RequestLogEntry } from "../../lab/kube-api/control/request-log.js";
import { type ControlTargetOptions, controlRequest, resolveTarget } from "./lab-kube-api-client.js";

/** Options of `recover lab kube-api fault`. */
export interface FaultCommandOptions extends ControlTargetOptions {
  path?: string;
  pathPattern?: string;
  method?: string;
  status?: string;
  message?: string;
  times?: string;
  delayMs?: string;
  hang?: boolean;
  drop?: boolean;
}

/** `recover lab kube-api fault`: injects a fault; prints its id. */
export async function faultCommand(options: FaultCommandOptions): Promise<void> {
  const target = await resolveTarget(options);
  const body = {
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.pathPattern !== undefined ? { pathPattern: options.pathPattern } : {}),
    ...(options.method ? { method: options.method.toUpperCase() } : {}),
    ...(options.status !== undefined ? { status: integer("--status", options.status) } : {}),
    ...(options.message !== undefined ? { message: options.message } : {}),
    ...(options.times !== undefined
      ? { times: options.times === "Infinity" || options.times === "all" ? "Infinity" : integer("--times", options.times) }
      : {}),
    ...(options.delayMs !== undefined ? { delayMs: integer("--delay-ms", options.delayMs) } : {}),
    ...(options.hang ? { hang: true } : {}),
    ...(options.drop ? { drop: true } : {}),
  };
  if ((body.path === undefined) === (body.pathPattern === undefined))
    throw new InputError("give one of --path (exact URL path) and --path-pattern (regular expression)");
  const info = (await controlRequest(target, "POST", "/faults", body)) as FaultInfo;
  process.stdout.write(`fault ${info.id} injected: ${describeFault(info)}\n`);
}

/** `recover lab kube-api faults`: lists the active faults. */
export async function faultsCommand(options: ControlTargetOptions & { json?: boolean }): Promise<void> {
  const { items } = (await controlRequest(await resolveTarget(options), "GET", "/faults")) as { items: FaultInfo[] };
  if (options.json) return void process.stdout.write(`${JSON.stringify(items, null, 2)}\n`);
  process.stdout.write(items.length === 0 ? "no active faults\n" : items.map((f) => `${f.id}  ${describeFault(f)}\n`).join(""));
}

/** `recover lab kube-api clear-faults [id]`. */
export async function clearFaultsCommand(id: string | undefined, options: ControlTargetOptions): Promise<void> {
  await controlRequest(await resolveTarget(options), "DELETE", id === undefined ? "/faults" : `/faults/${encodeURIComponent(id)}`);
  process.stdout.write(id === undefined ? "all faults cleared\n" : `fault ${id} cleared\n`);
}

/** `recover lab kube-api requests`: prints the request log (JSON lines with --json). */
export async function requestsCommand(options: ControlTargetOptions & { json?: boolean; clear?: boolean }): Promise<void> {
  const target = await resolveTarget(options);
  const { items } = (await controlRequest(target, "GET", "/requests")) as { items: RequestLogEntry[] };
  if (options.json) process.stdout.write(items.map((e) => `${JSON.stringify(e)}\n`).join(""));
  else
    process.stdout.write(
      items
        .map((e) => {
          const query = new URLSearchParams(e.query).toString();
          return `${e.time}  ${e.method.padEnd(6)} ${e.status || "---"}  ${e.durationMs.toFixed(1).padStart(7)} ms  ${e.path}${query ? `?${query}` : ""}${e.fault ? `  [fault: ${e.fault}]` : ""}\n`;
        })
        .join(""),
    );
  if (options.clear) await controlRequest(target, "DELETE", "/requests");
}

/** `recover lab kube-api load <paths...>`: reads fixture files here and loads their objects into the emulator. */
export async function loadCommand(paths: string[], options: ControlTargetOptions): Promise<void> {
  const target = await resolveTarget(options);
  const items = [];
  for (const path of paths) items.push(...(await readFixtureObjects(path)));
  const { loaded } = (await controlRequest(target, "POST", "/fixtures", { apiVersion: "v1", kind: "List", items })) as { loaded: number };
  process.stdout.write(`${loaded} object${loaded === 1 ? "" : "s"} loaded\n`);
}

function describeFault(f: FaultInfo): string {
  const what = f.drop
    ? "drop the connection"
    : f.hang
      ? "hang"
      : f.status !== undefined
        ? `answer ${f.status}`
        : f.delayMs
          ? "delay"
          : "answer 500";
  const delay = f.delayMs ? ` after ${f.delayMs} ms` : "";
  const path = f.pathPattern ? `/${f.path}/` : f.path;
  return `${f.method ?? "any method"} ${path} → ${what}${delay} (${f.remaining} left)`;
}

function integer(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InputError(`${flag} ${value}: expected a whole number`);
  return n;
}
