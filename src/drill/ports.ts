/** What a drill reaches the world through; the CLI wires the lab, the transports and the recover process. */
import type { LabRunContext } from "../lab/run-context.js";
import type { Transport } from "../transports/types.js";

/** Where probes run: the lab's cluster, a node (as root), its GitOps clone. */
export interface ProbeTransports {
  kubectl(): Transport;
  ssh(node: string): Transport;
  /** A local transport whose commands run in the lab's GitOps clone. */
  local(): Transport;
}

/** A recover process of the drill: its JSON-line events as they come, kill -9, and how it ended. */
export interface RecoverProcess {
  kill(): void;
  done: Promise<{ code: number; stderr: string }>;
}

export interface DrillLab {
  context: LabRunContext;
  /** Injects a lab fault; resolves with its description. */
  inject(kind: string, target: string | undefined): Promise<string>;
  clearFaults(): Promise<void>;
  /**
   * The operator's machine is lost: the lab's GitOps checkout and state directory are moved aside
   * and the checkout becomes a fresh clone of its remote (then `recover resume --from-git`).
   */
  freshFromGit(): Promise<void>;
}

export interface DrillPorts {
  /**
   * Brings a lab up for one scenario (or hands over the operator's --lab); `release` tears down what
   * `up` built, keeping a copy of its GitOps remote (every checkpoint commit), whose path it returns.
   */
  lab(options: { nodes?: number; disks?: number; version?: string }): Promise<{ lab: DrillLab; release(): Promise<string | undefined> }>;
  transports(lab: DrillLab): ProbeTransports;
  /** `recover ARGS --lab DIR --yes -o json`; each stdout line is parsed and handed to onEvent. */
  recover(lab: DrillLab, args: string[], onEvent: (event: Record<string, unknown>) => void): RecoverProcess;
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Progress for the operator (one line each). */
  say(line: string): void;
}
