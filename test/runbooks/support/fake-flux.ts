// Flux as far as the runbooks meet it, on the emulator's controller platform: a Kustomization or
// HelmRelease that is not suspended handles a new generation or reconcile request (Ready True for
// its generation, lastHandledReconcileAt); a parent applies its children's `suspend` from "Git"
// (a parent declaring a child suspend: false overwrites a manual patch); a HelmRelease can take its
// chart version from a Git remote, as source-controller and helm-controller would.
import { execFileSync } from "node:child_process";
import type { Controller, KubeApi, KubeObject } from "../../../src/lab/kube-api/index.js";

const KINDS = [
  { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", group: "kustomize.toolkit.fluxcd.io" },
  { apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease", group: "helm.toolkit.fluxcd.io" },
] as const;

export interface FakeFluxOptions {
  /** "ns/name" of a Kustomization → the children it declares in Git, with the `suspend` Git gives them. */
  gitChildren?: Record<string, { kind: "Kustomization" | "HelmRelease"; namespace: string; name: string; suspend: boolean }[]>;
  /** A HelmRelease whose chart version Flux reads from Git (a bare remote's main) when it reconciles. */
  gitHelmRelease?: { namespace: string; name: string; remote: string; file: string };
  /** A Kustomization stays not Ready (reason HealthCheckFailed) — an object the recovery did not touch. */
  unhealthy?: string[];
}

type Flux = KubeObject & { spec?: { suspend?: boolean; chart?: { spec?: { version?: string } } }; status?: Record<string, unknown> };

function chartVersionInGit(remote: string, file: string): string | undefined {
  const text = execFileSync("git", ["--git-dir", remote, "show", `main:${file}`], { encoding: "utf8" });
  return /^\s*version:\s*["']?([0-9][^"'\s]*)/m.exec(text)?.[1];
}

export function startFakeFlux(api: KubeApi, options: FakeFluxOptions = {}): () => void {
  const controller: Controller = {
    name: "fake-flux",
    keysFor: (change) =>
      KINDS.some((k) => k.group === change.resource.group) && change.type !== "DELETED"
        ? [`${change.object.kind}/${change.object.metadata.namespace}/${change.object.metadata.name}`]
        : [],
    initialKeys: (client) =>
      KINDS.flatMap((k) =>
        client
          .resource(k.apiVersion, k.kind)
          .list()
          .map((o) => `${k.kind}/${o.metadata.namespace}/${o.metadata.name}`),
      ),
    reconcile(key, { client, queue }) {
      const [kind, namespace, name] = key.split("/") as [string, string, string];
      const meta = KINDS.find((k) => k.kind === kind);
      if (!meta) return;
      const resource = client.resource<Flux>(meta.apiVersion, meta.kind);
      const obj = resource.tryGet(name, namespace);
      if (!obj || obj.spec?.suspend) return;
      const generation = obj.metadata.generation ?? 1;
      const requested = obj.metadata.annotations?.["reconcile.fluxcd.io/requestedAt"];
      const status = obj.status ?? {};
      // A parent applies its children from Git on every interval (here: every 100 ms), not only when asked.
      const children = options.gitChildren?.[`${namespace}/${name}`] ?? [];
      for (const child of children) {
        const c = KINDS.find((k) => k.kind === child.kind);
        const current = c ? (client.resource(c.apiVersion, c.kind).tryGet(child.name, child.namespace) as Flux | undefined) : undefined;
        if (c && current && Boolean(current.spec?.suspend) !== child.suspend)
          client.resource(c.apiVersion, c.kind).patch(child.name, child.namespace, { spec: { suspend: child.suspend } });
      }
      if (children.length > 0) queue.addAfter(key, 100);
      if (status.observedGeneration === generation && (requested === undefined || requested === status.lastHandledReconcileAt)) return;
      const git = options.gitHelmRelease;
      if (git && kind === "HelmRelease" && git.namespace === namespace && git.name === name) {
        const version = chartVersionInGit(git.remote, git.file);
        if (version && version !== obj.spec?.chart?.spec?.version) {
          resource.patch(name, namespace, { spec: { chart: { spec: { version } } } });
          return; // the new generation comes back here
        }
      }
      const healthy = !options.unhealthy?.includes(name);
      resource.patch(
        name,
        namespace,
        {
          status: {
            observedGeneration: generation,
            ...(requested !== undefined ? { lastHandledReconcileAt: requested } : {}),
            conditions: [
              {
                type: "Ready",
                status: healthy ? "True" : "False",
                reason: healthy ? "ReconciliationSucceeded" : "HealthCheckFailed",
                message: healthy ? "Applied revision: main@sha1:0000" : "health check failed",
                observedGeneration: generation,
                lastTransitionTime: new Date().toISOString(),
              },
            ],
          },
        },
        { subresource: "status" },
      );
    },
  };
  return api.startController(controller);
}

/** A Flux object as the cluster holds it, Ready for its generation. */
export function fluxObject(
  kind: "Kustomization" | "HelmRelease",
  namespace: string,
  name: string,
  extra: Record<string, unknown> = {},
): KubeObject {
  const meta = KINDS.find((k) => k.kind === kind) as (typeof KINDS)[number];
  return {
    apiVersion: meta.apiVersion,
    kind,
    metadata: { name, namespace, generation: 1 },
    spec: { interval: "10m", ...(kind === "HelmRelease" ? { chart: { spec: { chart: "longhorn", version: "1.9.2" } } } : { path: "./" }) },
    ...extra,
  } as KubeObject;
}
