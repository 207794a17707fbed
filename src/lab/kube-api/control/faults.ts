/**
 * Injected faults: drills make the API fail, stall or vanish on chosen requests to prove a
 * runbook survives it.
 */
import { badRequest } from "../status.js";

/** What to do to matching requests. Without status, hang or drop, a fault answers 500 (after delayMs, if given). */
export interface Fault {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** A string matches the URL path exactly, or path plus query exactly; a RegExp is tested against path plus query. */
  path: string | RegExp;
  /** How many matching requests to affect; default 1; Infinity for all. */
  times?: number;
  /** Answer with this HTTP status and a Status body. */
  status?: number;
  message?: string;
  /** Wait this long first; alone, the request is then handled normally. */
  delayMs?: number;
  /** Never answer (until the client gives up or the server closes). */
  hang?: boolean;
  /** Destroy the connection without an answer. */
  drop?: boolean;
}

/** Handle on an injected fault. */
export interface FaultHandle {
  /** Matching requests still to affect. */
  remaining(): number;
  clear(): void;
}

/** The action for one request, decided before it is handled. */
export type FaultAction =
  | { kind: "drop" }
  | { kind: "hang"; delayMs: number }
  | { kind: "status"; status: number; message: string; delayMs: number }
  | { kind: "delay"; delayMs: number };

interface ActiveFault {
  id: number;
  fault: Fault;
  remaining: number;
}

/** A JSON-friendly description of an active fault (control API, CLI). */
export interface FaultInfo {
  id: number;
  method?: string;
  path: string;
  pathPattern?: boolean;
  remaining: number | "Infinity";
  status?: number;
  message?: string;
  delayMs?: number;
  hang?: boolean;
  drop?: boolean;
}

/** The active faults, matched in the order they were injected. */
export class FaultSet {
  private faults: ActiveFault[] = [];
  private nextId = 1;

  inject(fault: Fault): FaultHandle & { id: number } {
    validateFault(fault);
    const active: ActiveFault = { id: this.nextId++, fault: { ...fault }, remaining: fault.times ?? 1 };
    if (active.remaining > 0) this.faults.push(active);
    return {
      id: active.id,
      remaining: () => active.remaining,
      clear: () => this.remove(active.id),
    };
  }

  remove(id: number): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((f) => f.id !== id);
    return this.faults.length !== before;
  }

  clear(): void {
    for (const f of this.faults) f.remaining = 0;
    this.faults = [];
  }

  list(): FaultInfo[] {
    return this.faults.map(({ id, fault, remaining }) => ({
      id,
      ...(fault.method ? { method: fault.method } : {}),
      path: typeof fault.path === "string" ? fault.path : fault.path.source,
      ...(typeof fault.path === "string" ? {} : { pathPattern: true }),
      remaining: remaining === Number.POSITIVE_INFINITY ? "Infinity" : remaining,
      ...pick(fault, ["status", "message", "delayMs", "hang", "drop"]),
    }));
  }

  /** Consumes one use of the first fault matching this request, if any. */
  take(method: string, pathname: string, search: string): FaultAction | undefined {
    const fault = this.faults.find((f) => matches(f.fault, method, pathname, search));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.remove(fault.id);
    return actionOf(fault.fault);
  }
}

function matches(fault: Fault, method: string, pathname: string, search: string): boolean {
  if (fault.method && fault.method.toUpperCase() !== method.toUpperCase()) return false;
  const full = pathname + search;
  if (typeof fault.path === "string") return fault.path === pathname || fault.path === full;
  fault.path.lastIndex = 0;
  return fault.path.test(full);
}

function actionOf(fault: Fault): FaultAction {
  const delayMs = fault.delayMs ?? 0;
  if (fault.drop) return { kind: "drop" };
  if (fault.hang) return { kind: "hang", delayMs };
  if (fault.status !== undefined || fault.delayMs === undefined) {
    const status = fault.status ?? 500;
    return { kind: "status", status, message: fault.message ?? `injected fault: HTTP ${status}`, delayMs };
  }
  return { kind: "delay", delayMs };
}

function validateFault(fault: Fault): void {
  const problems: string[] = [];
  if (typeof fault.path !== "string" && !(fault.path instanceof RegExp)) problems.push("path must be a string or a RegExp");
  if (fault.times !== undefined && !(fault.times >= 0)) problems.push("times must be a number ≥ 0 (Infinity for every request)");
  if (fault.status !== undefined && !(Number.isInteger(fault.status) && fault.status >= 100 && fault.status <= 599))
    problems.push("status must be an HTTP status code (100-599)");
  if (fault.delayMs !== undefined && !(fault.delayMs >= 0)) problems.push("delayMs must be ≥ 0");
  if ([fault.hang, fault.drop, fault.status !== undefined].filter(Boolean).length > 1) problems.push("choose one of status, hang and drop");
  if (problems.length > 0) throw badRequest(`invalid fault: ${problems.join("; ")}`);
}

function pick<T extends object, K extends keyof T>(object: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (object[k] !== undefined) out[k] = object[k];
  return out;
}
