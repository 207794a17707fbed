import type { ServerResponse } from "node:http";

/** One HTTP request the emulator answered, dropped, or is still answering (a watch), for drills and tests to assert on. */
export interface RequestLogEntry {
  method: string;
  /** URL path without the query. */
  path: string;
  /** Query parameters (the last value wins for repeated names). */
  query: Record<string, string>;
  userAgent: string;
  /** HTTP status sent; 0 when the connection was dropped or closed before an answer (or none is sent yet). */
  status: number;
  /** Time to the end of the exchange (so far, while pending). */
  durationMs: number;
  /** When the request arrived (ISO 8601). */
  time: string;
  /** Set when an injected fault took the request: "status", "hang", "drop" or "delay". */
  fault?: string;
  /** True while the exchange is still open (watches, hung requests). */
  pending?: boolean;
}

interface Record_ {
  entry: RequestLogEntry;
  started: number;
  res?: ServerResponse;
}

/** A bounded in-memory log in order of arrival; the oldest entries go first when full. */
export class RequestLog {
  private records: Record_[] = [];

  constructor(private readonly limit = 10_000) {}

  /** Logs a request as it arrives; the entry completes itself when the response closes. Returns a setter for the fault taken. */
  start(entry: Omit<RequestLogEntry, "status" | "durationMs">, res: ServerResponse): (fault: string) => void {
    const record: Record_ = { entry: { ...entry, status: 0, durationMs: 0 }, started: performance.now(), res };
    this.records.push(record);
    // Trim in batches so a full log does not shift the array on every request.
    if (this.records.length > this.limit * 1.1) this.records = this.records.slice(-this.limit);
    res.on("close", () => {
      record.entry.status = res.headersSent ? res.statusCode : 0;
      record.entry.durationMs = performance.now() - record.started;
      delete record.res;
    });
    return (fault) => {
      record.entry.fault = fault;
    };
  }

  list(): RequestLogEntry[] {
    return this.records.slice(-this.limit).map(({ entry, started, res }) => {
      const copy = { ...entry, query: { ...entry.query } };
      if (!res) return copy;
      return { ...copy, status: res.headersSent ? res.statusCode : 0, durationMs: performance.now() - started, pending: true };
    });
  }

  clear(): void {
    this.records = [];
  }
}
