import type { LabStatus } from "./status.js";

const mib = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MiB`;

/** `lab status` as text: the lab, its processes with pids, nodes with disks and mounts, the cluster's Longhorn and Flux state. */
export function renderStatus(status: LabStatus): string {
  const { state, live } = status;
  const out: string[] = [];
  const o = state.options;
  out.push(`lab ${state.dir} (id ${state.id}): ${state.phase}${state.error ? ` — ${state.error}` : ""}`);
  out.push(
    `  Longhorn ${o.version}, ${o.nodes} node${o.nodes === 1 ? "" : "s"} × ${o.disks} disk${o.disks === 1 ? "" : "s"}, controllers at ${o.speed}× speed`,
  );
  out.push("processes");
  for (const r of state.resources) {
    if (r.kind === "process")
      out.push(`  ${r.role.padEnd(14)} pid ${r.process?.pid ?? "?"} ${status.running.get(r.id) ? "running" : "not running"}`);
    if (r.kind === "namespace")
      out.push(
        `  ${`node ${r.node}`.padEnd(14)} namespaces held by pid ${r.holder?.pid ?? "?"} ${status.running.get(r.id) ? "running" : "not running"}`,
      );
  }
  if (state.facts.apiUrl) out.push(`cluster ${state.facts.apiUrl} (kubeconfig ${state.facts.kubeconfig}, context lab)`);
  for (const node of state.facts.nodes ?? []) {
    const l = live?.nodes.find((n) => n.name === node.name);
    out.push(`node ${node.name}  ${node.address}:${node.sshPort}  sshd ${l ? `${l.sshd} (pid ${l.sshdPid})` : "?"}`);
    if (l)
      out.push(
        `  services (simulated systemctl): ${Object.entries(l.services)
          .map(([u, s]) => `${u} ${s}`)
          .join(", ")}`,
      );
    const mounts = status.mounts.get(node.name);
    for (const d of node.disks) {
      const source = mounts?.get(d.mount);
      out.push(
        `  disk ${d.name}  ${d.loop}  ${mib(d.sizeBytes)}  ${d.byId}  ${source ? `mounted at ${d.mount} (${source})` : `not mounted (${d.mount})`}`,
      );
    }
  }
  if (live?.faults && live.faults.length > 0) out.push(`faults: ${live.faults.map((f) => `${f.id} ${f.description}`).join(", ")}`);
  if (live) {
    const section = (title: string, lines: string[]) => {
      out.push(title);
      for (const line of lines) out.push(`  ${line}`);
    };
    section("Kubernetes nodes", live.cluster.nodes);
    section("Longhorn nodes (disk:Ready:diskUUID)", live.cluster.longhornNodes);
    section("Longhorn volumes", live.cluster.volumes);
    section("Flux", live.cluster.flux);
  } else if (status.liveError) out.push(`the daemon did not answer: ${status.liveError}`);
  return `${out.join("\n")}\n`;
}

/** What `up` prints once the lab runs: what it built and how to use it. */
export function renderUpSummary(status: LabStatus): string {
  const f = status.state.facts;
  const dirFlag = ` --dir ${status.state.dir}`;
  return `${renderStatus(status)}
Use it:
  recover check --lab ${status.state.dir}
  recover longhorn-node k3s1 --dry-run --lab ${status.state.dir}
  ssh -F ${f.sshConfig} k3s1
  KUBECONFIG=${f.kubeconfig} kubectl get nodes.longhorn.io -n longhorn-system
  git -C ${f.gitopsClone} log        (remote: ${f.gitRemote})
  recover lab status${dirFlag}
  recover lab down${dirFlag}
`;
}
