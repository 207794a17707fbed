import { StringDecoder } from "node:string_decoder";

/** Keeps a stream's output up to a byte cap; everything past it is counted, not kept. */
export class OutputBuffer {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private dropped = 0;

  constructor(private readonly capBytes: number) {}

  push(chunk: Buffer): void {
    const room = this.capBytes - this.kept;
    if (room <= 0) {
      this.dropped += chunk.length;
      return;
    }
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
    this.dropped += chunk.length - part.length;
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  /** The kept bytes, as the command wrote them. */
  bytes(): Buffer {
    if (this.chunks.length !== 1) this.chunks.splice(0, this.chunks.length, Buffer.concat(this.chunks, this.kept));
    return this.chunks[0] as Buffer;
  }

  /** The kept bytes as UTF-8; when the cap cut a character in two, its first bytes are left out. */
  text(): string {
    const kept = this.bytes();
    // The decoder holds back an incomplete sequence at the end instead of turning it into U+FFFD.
    return this.truncated ? new StringDecoder("utf8").write(kept) : kept.toString("utf8");
  }
}
