import { PGID_MARKER } from "./remote-command.js";

const MARKER = Buffer.from(PGID_MARKER, "latin1");
/** Past this much stderr without the marker, stop looking: the remote shell did not print it. */
const GIVE_UP_BYTES = 64 * 1024;

/**
 * Takes the remote shell's pid line (see remoteCommandLine) out of the stderr stream: the
 * command's own stderr passes through unchanged, and `pgid` is set once the line is seen.
 */
export class PgidMarkerFilter {
  pgid: number | undefined;
  private held: Buffer | undefined = Buffer.alloc(0);

  /** Feeds a stderr chunk; returns what belongs to the command (possibly empty). */
  push(chunk: Buffer): Buffer {
    if (this.held === undefined) return chunk;
    const head = Buffer.concat([this.held, chunk]);
    const at = head.indexOf(MARKER);
    const end = at >= 0 ? head.indexOf(0x0a, at) : -1;
    if (end >= 0) {
      const pid = Number(head.subarray(at + MARKER.length, end).toString("latin1"));
      if (Number.isInteger(pid) && pid > 1) this.pgid = pid;
      this.held = undefined;
      return Buffer.concat([head.subarray(0, at), head.subarray(end + 1)]);
    }
    if (head.length > GIVE_UP_BYTES) return this.release(head);
    this.held = head;
    return Buffer.alloc(0);
  }

  /** At the end of the stream: whatever is still held belongs to the command. */
  flush(): Buffer {
    return this.held === undefined ? Buffer.alloc(0) : this.release(this.held);
  }

  private release(head: Buffer): Buffer {
    this.held = undefined;
    return head;
  }
}
