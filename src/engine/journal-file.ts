import { closeSync, fdatasync, mkdirSync, openSync, readFileSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { JournalPort, JournalRecord } from "./ports.js";

/**
 * The append-only journal of one run: a JSON line per record, written to the file at once (a
 * kill -9 loses nothing already appended), made durable when the engine asks. Resume appends to
 * the same file.
 */
export class FileJournal implements JournalPort {
  private readonly fd: number;
  private written: string;
  /** Records appended so far, and how many of them a finished fdatasync covers. */
  private appended = 0;
  private durable = 0;
  private syncing: Promise<void> | undefined;

  constructor(readonly location: string) {
    mkdirSync(dirname(location), { recursive: true, mode: 0o700 });
    this.written = readIfPresent(location);
    this.fd = openSync(location, "a", 0o600);
  }

  append(record: JournalRecord): void {
    const line = `${JSON.stringify(record)}\n`;
    writeSync(this.fd, line);
    this.written += line;
    this.appended++;
  }

  /**
   * Every record appended so far reaches the disk (fdatasync: the lines and the file's new size).
   * A group commit: callers while one fdatasync runs share the next one; nothing new, no call.
   */
  async sync(): Promise<void> {
    const wanted = this.appended;
    while (this.durable < wanted) {
      if (this.syncing) {
        await this.syncing;
        continue;
      }
      const covers = this.appended;
      this.syncing = datasync(this.fd)
        .then(() => {
          this.durable = Math.max(this.durable, covers);
        })
        .finally(() => {
          this.syncing = undefined;
        });
      await this.syncing;
    }
  }

  text(): string {
    return this.written;
  }

  close(): void {
    closeSync(this.fd);
  }
}

const datasync = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));

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
