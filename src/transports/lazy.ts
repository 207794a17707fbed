import type { ExecRequest, ExecResult, Transport, TransportKind } from "./types.js";

/**
 * A transport whose implementation is loaded on first use: a plan that reaches only ssh hosts never
 * loads kubectl's and the local transport's process machinery (execa), and one that never runs a
 * step loads none. Connects, like every transport, on the first exec.
 */
export class LazyTransport implements Transport {
  private loading: Promise<Transport> | undefined;

  constructor(
    readonly kind: TransportKind,
    readonly name: string,
    private readonly load: () => Promise<Transport>,
  ) {}

  async exec(request: ExecRequest): Promise<ExecResult> {
    this.loading ??= this.load();
    return (await this.loading).exec(request);
  }

  /** Closes what was opened; a transport never used has nothing to close. */
  async close(): Promise<void> {
    if (this.loading !== undefined) await (await this.loading).close();
  }
}
