import type { Transport } from "../transports/types.js";
import { LockedError, RefusedError } from "./errors.js";

export const LEASE_NAMESPACE = "kube-system";
const LEASE_SECONDS = 60;

interface LeaseJson {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; acquireTime?: string };
}

/** Who holds a lease: host, pid and run id (the run id lets a resume take over its own lease). */
export const holderIdentity = (host: string, pid: number, runId: string): string => `${host}/${pid}/${runId}`;
const runOf = (identity: string | undefined): string | undefined => identity?.split("/")[2];

/** RFC 3339 with microseconds, as Kubernetes writes MicroTime. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, "000Z");

/** The lease's name for a lock key: a DNS subdomain. */
export const leaseName = (key: string): string => `recover-${key.toLowerCase().replace(/[^a-z0-9.-]/g, "-")}`.slice(0, 253);

const hostOf = (identity: string | undefined): string | undefined => identity?.split("/")[0];

/**
 * A lease held by someone else is live while renewTime + duration lies ahead (a pure decision).
 * The run's own lease is its to take over from the same host (where the lock file proved the old
 * process gone); from another host (`resume --from-git`), only once it expired: that machine may
 * not be as lost as it seems.
 */
export function leaseState(lease: LeaseJson, runId: string, now: number, host?: string): "free" | "mine" | "held" | "expired" {
  const holder = lease.spec.holderIdentity;
  if (!holder) return "free";
  if (runOf(holder) === runId && (host === undefined || hostOf(holder) === host)) return "mine";
  const ends = Date.parse(expiry(lease));
  return Number.isNaN(ends) || ends <= now ? "expired" : "held";
}

/** When a lease runs out if nobody renews it (ISO 8601; empty when it has no time). */
function expiry(lease: LeaseJson): string {
  const renewed = Date.parse(lease.spec.renewTime ?? lease.spec.acquireTime ?? "");
  const duration = (lease.spec.leaseDurationSeconds ?? LEASE_SECONDS) * 1000;
  return Number.isNaN(renewed) ? "" : new Date(renewed + duration).toISOString();
}

/**
 * Takes a coordination.k8s.io/v1 Lease per lock key in the cluster, renews it while the run goes
 * on, and resolves with the release (which deletes the leases still ours). A live lease of
 * another run exits 4 naming its holder; an expired one is taken over, saying so.
 */
export async function takeLeases(
  kubectl: Transport,
  keys: string[],
  identity: string,
  runId: string,
  notice: (message: string) => void,
  now: () => number = Date.now,
  renewEveryMs: number = (LEASE_SECONDS * 1000) / 3,
): Promise<() => Promise<void>> {
  const held: { name: string }[] = [];
  // A renewal still in flight when the run releases its leases would read them after the delete
  // and say "no longer this run's (gone)" (seen on a lab run): release stops renewals and waits for it.
  let stopped = false;
  let renewing: Promise<void> | undefined;
  const kube = async (argv: string[], stdin?: string) => {
    const result = await kubectl.exec({ command: { argv }, readOnly: argv[0] === "get", timeoutMs: 20_000, ...(stdin ? { stdin } : {}) });
    return result;
  };
  const body = (name: string, resourceVersion?: string, acquired?: string): string =>
    JSON.stringify({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: {
        name,
        namespace: LEASE_NAMESPACE,
        labels: { "app.kubernetes.io/managed-by": "recover" },
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      spec: {
        holderIdentity: identity,
        leaseDurationSeconds: LEASE_SECONDS,
        acquireTime: acquired ?? microTime(now()),
        renewTime: microTime(now()),
      },
    });
  const release = async () => {
    stopped = true;
    clearInterval(timer);
    await renewing;
    for (const { name } of held.splice(0))
      await kube(["delete", "lease", name, "-n", LEASE_NAMESPACE, "--ignore-not-found"]).catch(() => undefined);
  };
  const renew = async () => {
    for (const { name } of [...held]) {
      if (stopped) return;
      const got = await kube(["get", "lease", name, "-n", LEASE_NAMESPACE, "-o", "json"]).catch((error: Error) => error);
      if (stopped) return;
      // A read that failed (API down, timeout) says nothing about the lease: try again next time.
      if (got instanceof Error || (got.exitCode !== 0 && got.reason !== "NotFound")) {
        const why = got instanceof Error ? got.message : got.stderr.trim();
        notice(`cannot renew the lease ${name} now (${why}); trying again in ${Math.round(renewEveryMs / 1000)} s`);
        continue;
      }
      const lease = got.exitCode === 0 ? (got.json as LeaseJson | undefined) : undefined;
      if (!lease || leaseState(lease, runId, now(), hostOf(identity)) !== "mine") {
        notice(`the lease ${name} is no longer this run's (${lease?.spec.holderIdentity ?? "gone"})`);
        continue;
      }
      await kube(["replace", "-f", "-"], body(name, lease.metadata.resourceVersion, lease.spec.acquireTime)).catch(() => undefined);
    }
  };
  const timer = setInterval(() => {
    if (renewing || stopped) return;
    renewing = renew().finally(() => {
      renewing = undefined;
    });
  }, renewEveryMs);
  timer.unref();
  try {
    for (const key of keys) {
      const name = leaseName(key);
      const got = await kube(["get", "lease", name, "-n", LEASE_NAMESPACE, "-o", "json"]);
      if (got.exitCode !== 0 && got.reason !== "NotFound")
        throw new RefusedError(`cannot read the lease ${name} in ${kubectl.name}: ${got.stderr.trim()}`);
      if (got.exitCode !== 0) {
        const made = await kube(["create", "-f", "-"], body(name));
        if (made.exitCode !== 0)
          throw made.reason === "AlreadyExists"
            ? new LockedError(`${key} is locked: another run created the lease ${name} in ${kubectl.name} just now`, "another run")
            : new RefusedError(`cannot create the lease ${name} in ${kubectl.name}: ${made.stderr.trim()}`);
        held.push({ name });
        continue;
      }
      const lease = got.json as LeaseJson;
      const state = leaseState(lease, runId, now(), hostOf(identity));
      if (state === "held") {
        const who = `${lease.spec.holderIdentity} (renewed ${lease.spec.renewTime})`;
        const same =
          runOf(lease.spec.holderIdentity) === runId
            ? `\n  it is this run on ${hostOf(lease.spec.holderIdentity)}: if that machine is gone, its lease runs out at ${expiry(lease)}; resume again after that`
            : "";
        throw new LockedError(
          `${key} is locked by ${who}: the Lease ${LEASE_NAMESPACE}/${name} in ${kubectl.name}; one run per node at a time${same}`,
          who,
        );
      }
      if (state === "expired") notice(`taking over the expired lease ${name} of ${lease.spec.holderIdentity}`);
      const replaced = await kube(["replace", "-f", "-"], body(name, lease.metadata.resourceVersion));
      if (replaced.exitCode !== 0)
        throw new LockedError(
          `${key} is locked: the lease ${name} changed while taking it (${replaced.reason ?? replaced.stderr.trim()})`,
          "another run",
        );
      held.push({ name });
    }
  } catch (error) {
    await release();
    throw error;
  }
  return release;
}
