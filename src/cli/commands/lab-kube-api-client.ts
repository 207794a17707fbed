import { readFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { InputError, RecoverError } from "../../errors.js";
import { parseKubeconfigTarget } from "../../lab/kube-api/http/kubeconfig.js";

/** How a control client finds the emulator: --server (+ --token, --ca) or a kubeconfig. */
export interface ControlTargetOptions {
  server?: string;
  kubeconfig?: string;
  context?: string;
  token?: string;
  ca?: string;
}

/** A resolved emulator address with its credentials. */
export interface ControlTarget {
  url: string;
  token?: string;
  caCert?: string;
}

/** The emulator could not be reached or refused a control request. */
export class ControlRequestError extends RecoverError {
  constructor(
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const CONTROL = "/recover-lab/v1";

/** Resolves the target from the options; --server wins over --kubeconfig. */
export async function resolveTarget(options: ControlTargetOptions): Promise<ControlTarget> {
  if (options.server) {
    const url = options.server.replace(/\/+$/, "");
    if (!/^https?:\/\//.test(url)) throw new InputError(`--server ${options.server}: expected http://HOST:PORT or https://HOST:PORT`);
    return {
      url,
      ...(options.token ? { token: options.token } : {}),
      ...(options.ca ? { caCert: await readFile(options.ca, "utf8") } : {}),
    };
  }
  if (!options.kubeconfig)
    throw new InputError("say where the emulator is: --server URL or --kubeconfig FILE (as written by recover lab kube-api)");
  const text = await readFile(options.kubeconfig, "utf8").catch((error: Error) => {
    throw new InputError(`cannot read --kubeconfig ${options.kubeconfig}: ${error.message}`);
  });
  try {
    const target = parseKubeconfigTarget(text, options.context);
    return { ...target, ...(options.token ? { token: options.token } : {}) };
  } catch (error) {
    throw new InputError(`--kubeconfig ${options.kubeconfig}: ${(error as Error).message}`);
  }
}

/** Sends one control request; resolves with the parsed JSON answer, throws ControlRequestError with the Status message. */
export function controlRequest(target: ControlTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  const url = new URL(`${CONTROL}${path}`, `${target.url}/`);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolvePromise, reject) => {
    const req = send(
      url,
      {
        method,
        headers: {
          Accept: "application/json",
          ...(payload !== undefined ? { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(payload) } : {}),
          ...(target.token ? { Authorization: `Bearer ${target.token}` } : {}),
        },
        ...(target.caCert ? { ca: target.caCert } : {}),
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let value: unknown = text;
          try {
            value = JSON.parse(text);
          } catch {
            // Not JSON: keep the text for the message.
          }
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolvePromise(value);
          const message = (value as { message?: string })?.message ?? text.trim();
          reject(new ControlRequestError(`the emulator answered ${status}: ${message}`, url.href, status));
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 15 s")));
    req.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        new ControlRequestError(
          `cannot reach the kube-api emulator at ${target.url}: ${error.code ?? error.message}; is recover lab kube-api running there?`,
          url.href,
        ),
      ),
    );
    req.end(payload);
  });
}
