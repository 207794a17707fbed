import { type ControllerLike, rfc3339, scaled, type Timing } from "../platform.js";
import { goDuration, RECONCILE_REQUEST_ANNOTATION } from "./kustomization.js";
import { type GitSource, Pending } from "./source.js";

/**
 * source-controller's GitRepository reconcile: fetches the remote's branch on its interval (and
 * when `flux reconcile source git` asks), and records the revision as its artifact, Ready. The
 * Kustomizations that use it follow (their controller watches it). Runbook: a checkpoint's push
 * reaches the cluster only through this.
 */
export function gitRepositoryController(source: GitSource, timing: Timing): ControllerLike {
  const fetches = new Pending<string>();
  let round = 0;
  return {
    name: "source-controller",
    keysFor: (change) =>
      change.resource.group === "source.toolkit.fluxcd.io" && change.resource.resource === "gitrepositories" && change.type !== "DELETED"
        ? [`${change.object.metadata.namespace}/${change.object.metadata.name}`]
        : [],
    initialKeys: (client) =>
      client
        .resource("source.toolkit.fluxcd.io/v1", "GitRepository")
        .list()
        .map((g) => `${g.metadata.namespace}/${g.metadata.name}`),
    reconcile(key, { client, queue, scheduler }) {
      const [namespace, name] = key.split("/") as [string, string];
      const repos = client.resource("source.toolkit.fluxcd.io/v1", "GitRepository");
      const repo = repos.tryGet(name, namespace);
      const spec = (repo?.spec ?? {}) as { suspend?: boolean; interval?: string };
      if (!repo || spec.suspend) return;
      const fetched = fetches.get(
        `${key}#${round}`,
        () => source.revision(),
        () => queue.add(key),
      );
      if (!fetched) return;
      fetches.forget(`${key}#${round}`);
      round++;
      const status = (repo.status ?? {}) as { artifact?: { revision?: string } };
      const requested = repo.metadata.annotations?.[RECONCILE_REQUEST_ANNOTATION];
      const generation = repo.metadata.generation ?? 1;
      const now = rfc3339(scheduler.now());
      const ready =
        "value" in fetched
          ? {
              type: "Ready",
              status: "True",
              reason: "Succeeded",
              message: `stored artifact for revision '${fetched.value}'`,
              observedGeneration: generation,
              lastTransitionTime: now,
            }
          : {
              type: "Ready",
              status: "False",
              reason: "GitOperationFailed",
              message: fetched.error.message,
              observedGeneration: generation,
              lastTransitionTime: now,
            };
      const next = {
        ...status,
        observedGeneration: generation,
        conditions: [ready],
        ...("value" in fetched ? { artifact: { ...(status.artifact ?? {}), revision: fetched.value, lastUpdateTime: now } } : {}),
        ...(requested !== undefined ? { lastHandledReconcileAt: requested } : {}),
      };
      if (
        JSON.stringify(next.artifact?.revision) !== JSON.stringify(status.artifact?.revision) ||
        ready.status !== "True" ||
        requested !== undefined
      )
        repos.updateStatus({ ...repo, status: next });
      queue.addAfter(key, scaled(timing, goDuration(spec.interval) ?? 60_000));
    },
  };
}
