/** The open watch streams, so that closing the server ends them instead of waiting for clients. */
export class WatchSet {
  private readonly open = new Set<() => void>();

  add(end: () => void): () => void {
    this.open.add(end);
    return () => this.open.delete(end);
  }

  get size(): number {
    return this.open.size;
  }

  endAll(): void {
    for (const end of [...this.open]) end();
    this.open.clear();
  }
}
