import { closeSync, fdatasync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { JournalPort, JournalRecord } from "./ports.js";

/**
 * The append-only journal of one run: a JSON line per record, written at once, fsync'd when the
 * engine asks (before a mutating step starts and after it ends). Resume appends to the same file.
 */
export class FileJournal implements JournalPort {
  private readonly fd: number;
  private written: string;

  constructor(readonly location: string) {
    mkdirSync(dirname(location), { recursive: true, mode: 0o700 });
    this.written = readIfPresent(location);
    this.fd = openSync(location, "a", 0o600);
  }

  append(record: JournalRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    writeSync(this.fd, line);
    this.written += line;
  }

  /** fdatasync: the appended lines and the file's new size reach the disk (a third of fsync's cost here). */
  sync(): Promise<void> {
    return new Promise((resolve, reject) => fdatasync(this.fd, (error) => (error ? reject(error) : resolve())));
  }

  text(): string {
    return this.written;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function readIfPresent(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** A journal's records; a torn last line (the process died mid-write) is dropped. */
export function parseJournal(text: string): JournalRecord[] {
  const records: JournalRecord[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      records.push(JSON.parse(line) as JournalRecord);
    } catch {
      // Only the last line can be torn; anything after it was never written.
    }
  }
  return records;
}
