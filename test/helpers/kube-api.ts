import { realpathSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type KubeApi, type KubeApiOptions, startKubeApi } from "../../src/lab/kube-api/index.js";
import { type CliResult, runProgram } from "./cli.js";
import { eventually } from "./eventually.js";

/** The real kubectl (a dispatcher that runs kubectl 1.27–1.33 by the server's /version). */
export const KUBECTL = process.env.KUBECTL ?? "/usr/bin/kubectl";

/** A specific kubectl minor beside the dispatcher (`kubectl.1.29`), to prove both discovery versions. */
export function kubectlMinor(minor: number): string {
  return join(dirname(realpathSync(KUBECTL)), `kubectl.1.${minor}`);
}

/** kubectl's exit code and output. */
export type KubectlResult = CliResult;

export interface KubectlOptions {
  /** Written to kubectl's stdin (`apply -f -`). */
  input?: string;
  /** Kill kubectl after this long; default 20 s. */
  timeoutMs?: number;
  /** Another kubectl binary (see kubectlMinor). */
  binary?: string;
  /** Extra environment (client-go feature gates: `KUBE_FEATURE_WatchListClient`). */
  env?: Record<string, string>;
}

/** Runs kubectl against the emulator with its own discovery cache directory. */
export type Kubectl = (args: string[], options?: KubectlOptions) => Promise<KubectlResult>;

/** An emulator started for a test file, with a kubeconfig and temp directories cleaned up by close(). */
export interface TestKubeApi {
  api: KubeApi;
  /** Temp directory holding the kubeconfig and every cache directory. */
  dir: string;
  kubeconfig: string;
  /** A kubectl with a fresh, empty KUBECACHEDIR: call once per test. */
  kubectl(): Promise<Kubectl>;
  close(): Promise<void>;
}

/** Starts the emulator on 127.0.0.1 and writes a kubeconfig for it into a temp directory. */
export async function startTestKubeApi(options: KubeApiOptions = {}): Promise<TestKubeApi> {
  const dir = await mkdtemp(join(tmpdir(), "recover-kube-api-"));
  let api: KubeApi | undefined;
  try {
    api = await startKubeApi(options);
    const kubeconfig = join(dir, "kubeconfig");
    await api.writeKubeconfig(kubeconfig);
    let caches = 0;
    const started = api;
    return {
      api: started,
      dir,
      kubeconfig,
      kubectl: async () => {
        const cache = join(dir, `cache-${++caches}`);
        await mkdir(cache);
        return (args, opts) => runKubectl(args, { kubeconfig, cache, home: dir, ...opts });
      },
      close: async () => {
        await started.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await api?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Runs one kubectl with an argv array (no shell) and resolves with its exit code and output. */
export function runKubectl(
  args: string[],
  options: KubectlOptions & { kubeconfig: string; cache: string; home: string },
): Promise<KubectlResult> {
  return runProgram(options.binary ?? KUBECTL, args, {
    timeout: options.timeoutMs ?? 20_000,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: options.home,
      KUBECONFIG: options.kubeconfig,
      KUBECACHEDIR: options.cache,
      ...options.env,
    },
    input: options.input ?? "",
  });
}

/** Parsed JSON, navigated freely in assertions (a wrong path fails the assertion, not the compiler). */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Json = any;

/** One watch event as received. */
export interface ReceivedEvent {
  type: string;
  object: Json;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, or undefined. */
  json: Json;
}

/** One plain HTTP request with node:http (for what kubectl never sends: malformed bodies, odd paths). */
export function httpRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method: options.method ?? "GET", headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`no answer to ${path}`)));
    req.on("error", reject);
    req.end(options.body);
  });
}

/** Opens a watch and collects its JSON-line events until `until` says enough (or the stream ends). */
export function watchEvents(
  baseUrl: string,
  path: string,
  until: (events: ReceivedEvent[]) => boolean,
  onOpen?: () => void,
): Promise<{ events: ReceivedEvent[]; ended: boolean }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const events: ReceivedEvent[] = [];
    let buffer = "";
    let done = false;
    const req = request({ host: url.hostname, port: url.port, path, agent: false }, (res) => {
      onOpen?.();
      res.on("data", (chunk: Buffer) => {
        buffer += chunk.toString("utf8");
        let newline = buffer.indexOf("\n");
        while (newline >= 0) {
          events.push(JSON.parse(buffer.slice(0, newline)));
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf("\n");
        }
        if (!done && until(events)) {
          done = true;
          resolve({ events, ended: false });
          req.destroy();
        }
      });
      res.on("end", () => {
        if (!done) resolve({ events, ended: true });
        done = true;
      });
      res.on("error", () => {});
    });
    req.setTimeout(15_000, () => req.destroy(new Error(`watch ${path} saw no end`)));
    req.on("error", (error) => {
      if (!done) reject(error);
    });
    req.end();
  });
}

/** Resolves once the emulator has logged a request matching `predicate` (e.g. kubectl's watch is open). */
export async function waitForRequest(
  api: KubeApi,
  predicate: (entry: ReturnType<KubeApi["control"]["requests"]>[number]) => boolean,
): Promise<void> {
  if (!(await eventually(() => api.control.requests().some(predicate), 500, 20)))
    throw new Error("the expected request never reached the emulator");
}

/** True for an open watch request (`?watch=true`) on a path ending with `suffix`. */
export const isWatchOn =
  (suffix: string) =>
  (entry: { path: string; query: Record<string, string> }): boolean =>
    entry.path.endsWith(suffix) && entry.query.watch === "true";
