import { InternalError } from "../errors.js";
import { runProcess } from "./process.js";
import { scriptWithContract } from "./script.js";
import { DEFAULT_OUTPUT_CAP_BYTES, type ExecRequest, type ExecResult, type Transport } from "./types.js";

export interface LocalTransportOptions {
  /** Working directory of every command (the GitOps checkout for git steps). */
  cwd?: string;
  /** The whole environment of every command; default: this process's. */
  env?: NodeJS.ProcessEnv;
  outputCapBytes?: number;
}

/** Runs commands on the operator's machine: argv without a shell, scripts under /bin/sh. */
export class LocalTransport implements Transport {
  readonly kind = "local";
  readonly name = "local";

  constructor(private readonly options: LocalTransportOptions = {}) {}

  async exec(request: ExecRequest): Promise<ExecResult> {
    const { command } = request;
    const [file, ...args] = "argv" in command ? command.argv : ["/bin/sh", "-c", scriptWithContract(command.script)];
    if (file === undefined) throw new InternalError("LocalTransport.exec: an argv command needs at least a program name");
    return runProcess({ file, args, env: this.options.env, cwd: this.options.cwd }, request, {
      target: this.name,
      outputCapBytes: this.options.outputCapBytes ?? DEFAULT_OUTPUT_CAP_BYTES,
    });
  }

  async close(): Promise<void> {}
}
