/**
 * The lab's Kubernetes API emulator: enough of the real API for the real kubectl, over one Store
 * and Registry, with a control interface for drills and tests.
 *
 *   registry/   what is served: built-in types, CRDs turned into types, names and discovery order
 *   store/      objects, resourceVersions, history, watches, deletion rules, change feed
 *   api/        write semantics: normalise, default, validate, what a create resets, CRD sync
 *   patch/      merge, JSON, strategic and server-side apply; managedFields
 *   selectors/  label and field selectors
 *   printers/   server-side Tables for `kubectl get`, printer-column JSONPath
 *   discovery/  aggregated and plain discovery, OpenAPI, /version
 *   http/       the server: routing, bodies, handlers that parse, call and serialise, watches, TLS
 *   control/    fixtures, faults, request log: how drills and tests steer the emulator
 */
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Admission } from "./api/admission.js";
import { KubeClient } from "./api/client.js";
import { syncCrdTypes } from "./api/crd-sync.js";
import { applyCreateDefaults } from "./api/defaults.js";
import { namespaceLifecycle } from "./api/namespace-lifecycle.js";
import { ObjectApi } from "./api/object-api.js";
import { createControl, type KubeApiControl } from "./control/control.js";
import { FaultSet } from "./control/faults.js";
import { RequestLog } from "./control/request-log.js";
import { type Controller, startController as startController_ } from "./controllers/controller.js";
import { disruptionController } from "./controllers/disruption.js";
import { kubelet } from "./controllers/kubelet.js";
import { realScheduler, type Scheduler } from "./controllers/scheduler.js";
import type { ApiContext } from "./http/context.js";
import { writeKubeconfigFile } from "./http/kubeconfig.js";
import { createApiServer } from "./http/server.js";
import { generateTls } from "./http/tls.js";
import { WatchSet } from "./http/watch-set.js";
import { Registry } from "./registry/registry.js";
import { rfc3339 } from "./store/objects.js";
import { Store } from "./store/store.js";
import type { KubeObject } from "./types.js";

export type { AdmissionHook, AdmissionRequest } from "./api/admission.js";
export type { KubeClient, ResourceClient } from "./api/client.js";
export type { KubeApiControl } from "./control/control.js";
export type { Fault, FaultHandle, FaultInfo } from "./control/faults.js";
export { FixtureError } from "./control/fixtures.js";
export type { RequestLogEntry } from "./control/request-log.js";
export type { Controller, ReconcileContext } from "./controllers/controller.js";
export { ManualScheduler, realScheduler, type Scheduler } from "./controllers/scheduler.js";
export type { StoreChange } from "./store/store.js";
export type { KubeObject, ResourceType } from "./types.js";
export { type LonghornVersion, longhornNodeValidator } from "./webhooks/longhorn-node.js";

/** How to start the emulator. */
export interface KubeApiOptions {
  /** Loopback address to listen on; default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** HTTPS with a CA and server certificate generated for this start. */
  tls?: boolean;
  /** Bearer token every API request must carry (TLS only: kubectl sends credentials only over TLS); wrong or missing → 401. */
  token?: string;
  /** Directories (or files) of CRDs to serve; default the project's fixtures/crds (Longhorn, Flux). */
  crdDirs?: string[];
  /** YAML/JSON files or directories of objects to load at start. */
  fixtures?: string[];
  /** Time for timestamps, controllers and grace periods: real timers by default, a ManualScheduler in tests. */
  scheduler?: Scheduler;
  /** Only the clock (timestamps); ignored when a scheduler is given. */
  clock?: () => Date;
  /** Run the simulated kubelet (pods on Ready nodes finish terminating); default true. */
  kubelet?: boolean;
}

/** A running emulator. */
export interface KubeApi {
  /** `http(s)://127.0.0.1:PORT`. */
  readonly url: string;
  readonly store: Store;
  readonly registry: Registry;
  readonly control: KubeApiControl;
  /** The API layer every write goes through (HTTP and controllers alike). */
  readonly objects: ObjectApi;
  /** Admission hooks: `admission.register(hook)` makes writes refusable. */
  readonly admission: Admission;
  readonly scheduler: Scheduler;
  /** A typed client whose writes are recorded under `fieldManager`. */
  client(fieldManager: string): KubeClient;
  /** Runs a simulated controller on the scheduler until the returned function (or close) stops it. */
  startController(controller: Controller): () => void;
  /** PEM of the CA that signed the server certificate (TLS only). */
  readonly caCert?: string;
  /** Writes a kubeconfig (cluster, user and context all named `context`, default "lab"; with TLS the CA data and token) for the real kubectl. */
  writeKubeconfig(file: string, options?: { context?: string }): Promise<void>;
  /** Ends watches and connections; idempotent. */
  close(): Promise<void>;
}

/** The project's CRDs (Longhorn, Flux), beside src/ and dist/ alike. */
export const DEFAULT_CRD_DIR = fileURLToPath(new URL("../../../fixtures/crds/", import.meta.url));

/** The namespaces a fresh k3s cluster has. */
const BUILTIN_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"];

/** Starts the emulator and resolves once it listens. */
export async function startKubeApi(options: KubeApiOptions = {}): Promise<KubeApi> {
  const host = options.host ?? "127.0.0.1";
  if (!isLoopback(host)) throw new Error(`the kube-api emulator listens on loopback only (127.0.0.0/8, ::1, localhost), not ${host}`);
  if (options.token !== undefined && !options.tls)
    throw new Error("a token needs tls: true, because kubectl sends credentials only over TLS");
  const scheduler: Scheduler = options.scheduler ?? (options.clock ? { ...realScheduler, now: options.clock } : realScheduler);
  const clock = () => scheduler.now();
  const store = new Store({ clock });
  const registry = new Registry();
  const objects = new ObjectApi(store, registry, clock);
  objects.admission.register(namespaceLifecycle);
  const context: ApiContext = { api: objects, store, registry, clock, watches: new WatchSet() };
  const unsync = syncCrdTypes(context);
  const controllers = new Set<() => void>();
  const startController = (controller: Controller): (() => void) => {
    const stop = startController_(
      { onChange: (hook) => store.onChange(hook), client: (manager) => new KubeClient(objects, manager), scheduler },
      controller,
    );
    controllers.add(stop);
    return () => {
      controllers.delete(stop);
      stop();
    };
  };
  const stopControllers = () => {
    for (const stop of controllers) stop();
    controllers.clear();
  };
  const faults = new FaultSet();
  const log = new RequestLog();
  const control = createControl(context, faults, log);
  seedNamespaces(context);
  try {
    for (const dir of options.crdDirs ?? [DEFAULT_CRD_DIR]) await control.load(dir);
    for (const path of options.fixtures ?? []) await control.load(path);
  } catch (error) {
    unsync();
    stopControllers();
    store.close();
    throw error;
  }
  if (options.kubelet ?? true) startController(kubelet);
  startController(disruptionController);
  const tls = options.tls ? await generateTls(host) : undefined;
  const api = createApiServer({
    context,
    control,
    faults,
    log,
    ...(tls ? { tls } : {}),
    ...(options.token !== undefined ? { token: options.token } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    api.server.once("error", reject);
    api.server.listen(options.port ?? 0, host, () => {
      api.server.off("error", reject);
      resolve();
    });
  });
  const { port } = api.server.address() as AddressInfo;
  const url = `${tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url,
    store,
    registry,
    control,
    objects,
    admission: objects.admission,
    scheduler,
    client: (fieldManager) => new KubeClient(objects, fieldManager),
    startController,
    ...(tls ? { caCert: tls.caCert } : {}),
    writeKubeconfig: (file, opts) =>
      writeKubeconfigFile(file, {
        url,
        context: opts?.context ?? "lab",
        ...(tls ? { caCert: tls.caCert } : {}),
        ...(options.token !== undefined ? { token: options.token } : {}),
      }),
    close: () => {
      closed ??= api.close().finally(() => {
        unsync();
        stopControllers();
        store.close();
      });
      return closed;
    },
  };
}

function seedNamespaces(context: ApiContext): void {
  const type = context.registry.byKind("v1", "Namespace");
  if (!type) throw new Error("the registry has no Namespace type (a bug)");
  const now = rfc3339(context.clock());
  for (const name of BUILTIN_NAMESPACES) {
    const object: KubeObject = { apiVersion: "v1", kind: "Namespace", metadata: { name } };
    context.store.create(type, undefined, applyCreateDefaults(type, object, now));
  }
}

/** The hosts the emulator may listen on: localhost, ::1 and 127.0.0.0/8. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
