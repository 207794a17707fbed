import type { KubeObject } from "../../kube-api/index.js";
import { type ControllerLike, type KubeClientLike, rfc3339, scaled, type Timing } from "../platform.js";
import { goDuration, isDue, type KustomizationView, nextStep, reconciledStatus } from "./kustomization.js";
import { type GitSource, Pending } from "./source.js";

const KS = ["kustomize.toolkit.fluxcd.io/v1", "Kustomization"] as const;

/** Flux's inventory entry id: `<namespace>_<name>_<group>_<kind>`. */
const entryId = (o: KubeObject): string =>
  `${o.metadata.namespace ?? ""}_${o.metadata.name}_${o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : ""}_${o.kind}`;

function fromEntry(id: string, version: string): { namespace: string; name: string; apiVersion: string; kind: string } {
  const [namespace = "", name = "", group = "", kind = ""] = id.split("_");
  return { namespace, name, kind, apiVersion: group ? `${group}/${version}` : version };
}

/** fluxcd/pkg/ssa's AnyInMetadata: an annotation or label with this value, on the object in Git or the one in the cluster. */
const marked = (key: string, value: string, ...objects: (KubeObject | undefined)[]): boolean =>
  objects.some((o) => o?.metadata.annotations?.[key] === value || o?.metadata.labels?.[key] === value);

/** `kustomize.toolkit.fluxcd.io/reconcile: disabled` (in Git or in the cluster): Flux skips the object, and keeps it in its inventory. */
export const reconcileDisabled = (...objects: (KubeObject | undefined)[]): boolean =>
  marked("kustomize.toolkit.fluxcd.io/reconcile", "disabled", ...objects);

/** Applies the built objects server-side as kustomize-controller (force, its field manager), labelled as Flux labels them. */
function applyAll(client: KubeClientLike, owner: KustomizationView, objects: KubeObject[]): void {
  for (const o of objects) {
    const inCluster = client.resource(o.apiVersion, o.kind).tryGet(o.metadata.name ?? "", o.metadata.namespace);
    if (reconcileDisabled(o, inCluster)) continue;
    const labelled = {
      ...o,
      metadata: {
        ...o.metadata,
        labels: {
          ...(o.metadata.labels ?? {}),
          "kustomize.toolkit.fluxcd.io/name": owner.metadata.name,
          "kustomize.toolkit.fluxcd.io/namespace": owner.metadata.namespace,
        },
      },
    };
    client.resource(o.apiVersion, o.kind).apply(labelled, { force: true });
  }
}

/**
 * kustomize-controller on the emulator's work queue, per Kustomization: due on a new generation,
 * a new `reconcile.fluxcd.io/requestedAt` or its interval; a suspended one does nothing and
 * refuses nothing; dependsOn must be Ready for its generation (DependencyNotReady, retried);
 * otherwise it builds its path at the GitRepository's revision and applies it server-side with
 * force (skipping objects marked `kustomize.toolkit.fluxcd.io/reconcile: disabled` in Git or in the
 * cluster, as fluxcd/pkg/ssa does) — so a parent re-applies a child's `suspend: false` from Git, and a Node CR still in
 * Git comes back — prunes what left Git, and reports Ready for the generation with
 * lastHandledReconcileAt. Runbook: longhorn-node's suspend-flux and resume-flux stages.
 */
export function kustomizationController(source: GitSource, timing: Timing): ControllerLike {
  const builds = new Pending<KubeObject[]>();
  const lastRun = new Map<string, number>();
  return {
    name: "kustomize-controller",
    keysFor(change, client) {
      const { group, resource } = change.resource;
      if (group === "kustomize.toolkit.fluxcd.io" && resource === "kustomizations" && change.type !== "DELETED")
        return [`${change.object.metadata.namespace}/${change.object.metadata.name}`];
      // A new artifact, or a dependency that became Ready, concerns every Kustomization.
      if (
        (group === "source.toolkit.fluxcd.io" && resource === "gitrepositories") ||
        (group === "kustomize.toolkit.fluxcd.io" && resource === "kustomizations")
      )
        return client
          .resource(...KS)
          .list()
          .map((k) => `${k.metadata.namespace}/${k.metadata.name}`);
      return [];
    },
    initialKeys: (client) =>
      client
        .resource(...KS)
        .list()
        .map((k) => `${k.metadata.namespace}/${k.metadata.name}`),
    reconcile(key, { client, queue, scheduler }) {
      const [namespace, name] = key.split("/") as [string, string];
      const kustomizations = client.resource(...KS);
      const obj = kustomizations.tryGet(name, namespace) as (KubeObject & KustomizationView) | undefined;
      if (!obj) return;
      const nowMs = scheduler.now().getTime();
      const now = rfc3339(scheduler.now());
      const sourceRef = ((obj.spec ?? {}) as { sourceRef?: { name?: string; namespace?: string } }).sourceRef ?? {};
      const repo = client
        .resource("source.toolkit.fluxcd.io/v1", "GitRepository")
        .tryGet(sourceRef.name ?? "", sourceRef.namespace ?? namespace);
      const revision = ((repo?.status ?? {}) as { artifact?: { revision?: string } }).artifact?.revision;
      if (!isDue(obj, lastRun.get(key), nowMs, revision)) return;
      const step = nextStep(obj, (ns, n) => kustomizations.tryGet(n, ns) as (KubeObject & KustomizationView) | undefined);
      if (step.kind === "suspended") return;
      if (step.kind === "wait") {
        kustomizations.updateStatus({
          ...obj,
          status: reconciledStatus(obj, { ok: false, reason: "DependencyNotReady", message: step.message }, now),
        });
        queue.addAfter(key, scaled(timing, step.requeueAfterMs));
        return;
      }
      if (!revision) {
        kustomizations.updateStatus({
          ...obj,
          status: reconciledStatus(
            obj,
            { ok: false, reason: "ArtifactFailed", message: "Source artifact not found, retrying in 30s" },
            now,
          ),
        });
        queue.addAfter(key, scaled(timing, 30_000));
        return;
      }
      const built = builds.get(
        `${revision}:${step.path}`,
        () => source.build(revision, step.path),
        () => queue.add(key),
      );
      if (!built) return;
      lastRun.set(key, nowMs);
      queue.addAfter(key, scaled(timing, goDuration(obj.spec.interval) ?? 600_000));
      if ("error" in built) {
        kustomizations.updateStatus({
          ...obj,
          status: reconciledStatus(obj, { ok: false, reason: "BuildFailed", message: built.error.message, revision }, now),
        });
        return;
      }
      try {
        applyAll(client, obj, built.value);
        const previous = ((obj.status ?? {}) as { inventory?: { entries?: { id: string; v: string }[] } }).inventory?.entries ?? [];
        const entries = built.value.map((o) => ({ id: entryId(o), v: o.apiVersion.split("/").at(-1) ?? "v1" }));
        if (((obj.spec ?? {}) as { prune?: boolean }).prune) {
          const kept = new Set(entries.map((e) => e.id));
          for (const gone of previous.filter((e) => !kept.has(e.id))) {
            const ref = fromEntry(gone.id, gone.v);
            const resource = client.resource(ref.apiVersion, ref.kind);
            // manager_delete.go: prune: disabled and reconcile: disabled keep an object in the cluster.
            const existing = resource.tryGet(ref.name, ref.namespace || undefined);
            if (!existing || reconcileDisabled(existing) || marked("kustomize.toolkit.fluxcd.io/prune", "disabled", existing)) continue;
            resource.delete(ref.name, ref.namespace || undefined);
          }
        }
        kustomizations.updateStatus({ ...obj, status: { ...reconciledStatus(obj, { ok: true, revision }, now), inventory: { entries } } });
      } catch (error) {
        kustomizations.updateStatus({
          ...obj,
          status: reconciledStatus(obj, { ok: false, reason: "ReconciliationFailed", message: (error as Error).message, revision }, now),
        });
      }
    },
  };
}
