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

  text(): string {
    return Buffer.concat(this.chunks, this.kept).toString("utf8");
  }
}
