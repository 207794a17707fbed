import { readFile } from "node:fs/promises";
import type { KubeApi, KubeObject } from "../kube-api/index.js";
import { SERVICES_FILE } from "../node/systemctl-script.js";
import type { RunningLab } from "./build-lab.js";
import { type ClusterSummary, summarize } from "./cluster-summary.js";

/** What the daemon knows live about one node, for `lab status`. */
export interface NodeLiveStatus {
  name: string;
  address: string;
  port: number;
  sshdPid: number | undefined;
  sshd: "running" | "frozen" | "down";
  /** The simulated systemctl's unit states. */
  services: Record<string, string>;
}

export interface LiveStatus {
  daemonPid: number;
  /** Faults in force (recover lab fault). */
  faults?: { id: number; description: string; undoable: boolean }[];
  apiUrl: string;
  nodes: NodeLiveStatus[];
  cluster: ClusterSummary;
}

function list(api: KubeApi, apiVersion: string, kind: string): KubeObject[] {
  const type = api.registry.byKind(apiVersion, kind);
  return type ? api.store.list(type, undefined).items : [];
}

/** The status route's answer: nodes as the daemon runs them, services as the nodes' systemctl reads them, the cluster's objects. */
export async function liveStatus(lab: RunningLab, sshdStates: Map<string, "running" | "frozen" | "down">): Promise<LiveStatus> {
  const nodes = await Promise.all(
    lab.nodes.map(async (n): Promise<NodeLiveStatus> => {
      const text = await readFile(`/proc/${n.namespaces.holder.pid}/root${SERVICES_FILE}`, "utf8").catch(() => "");
      const services = Object.fromEntries(
        text
          .split("\n")
          .filter(Boolean)
          .map((l) => l.split(" ") as [string, string]),
      );
      return {
        name: n.name,
        address: n.address,
        port: n.sshd.port,
        sshdPid: n.sshd.pid,
        sshd: sshdStates.get(n.name) ?? "running",
        services,
      };
    }),
  );
  const { api } = lab;
  const flux = [
    ...list(api, "source.toolkit.fluxcd.io/v1", "GitRepository"),
    ...list(api, "kustomize.toolkit.fluxcd.io/v1", "Kustomization"),
    ...list(api, "helm.toolkit.fluxcd.io/v2", "HelmRelease"),
  ];
  return {
    daemonPid: process.pid,
    apiUrl: api.url,
    nodes,
    cluster: summarize({
      nodes: list(api, "v1", "Node"),
      longhornNodes: list(api, "longhorn.io/v1beta2", "Node"),
      volumes: list(api, "longhorn.io/v1beta2", "Volume"),
      flux,
    }),
  };
}
