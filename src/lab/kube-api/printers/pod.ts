/**
 * The pod printer (kubernetes pkg/printers/internalversion printPod): READY, STATUS with its
 * init-container and container reasons, RESTARTS with "(5m ago)", and the wide columns.
 */

import type { KubeObject } from "../types.js";
import { ageSince, humanDuration, parseTimestamp } from "./age.js";
import { AGE_COLUMN, type BuiltinPrinter, column, type Json, NAME_COLUMN, num, type PrintedRow, rec, recs, str } from "./cells.js";

const COLUMNS = [
  NAME_COLUMN,
  column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
  column("Status", "string", "The aggregate status of the containers in this pod."),
  column(
    "Restarts",
    "string",
    "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
  ),
  AGE_COLUMN,
  column("IP", "string", "podIP address allocated to the pod.", { priority: 1 }),
  column("Node", "string", "NodeName indicates in which node this pod is scheduled.", { priority: 1 }),
  column("Nominated Node", "string", "nominatedNodeName is set only when this pod preempts other pods on the node.", { priority: 1 }),
  column("Readiness Gates", "string", "If specified, all readiness gates will be evaluated for pod readiness.", { priority: 1 }),
];

const SUCCEEDED = [{ type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." }];
const FAILED = [{ type: "Completed", status: "True", reason: "Failed", message: "The pod failed." }];

const hasCondition = (status: Json, type: string): boolean => recs(status.conditions).some((c) => c.type === type && c.status === "True");

/** Latest lastState.terminated.finishedAt seen so far (ms; 0 means none). */
const laterRestart = (latest: number, containerStatus: Json): number =>
  Math.max(latest, parseTimestamp(rec(rec(containerStatus.lastState).terminated).finishedAt) ?? 0);

/** The reason an exited container leaves: its reason, else Signal:N / ExitCode:N. */
function exitReason(terminated: Json, prefix: string): string {
  if (str(terminated.reason)) return `${prefix}${str(terminated.reason)}`;
  return num(terminated.signal) !== 0 ? `${prefix}Signal:${num(terminated.signal)}` : `${prefix}ExitCode:${num(terminated.exitCode)}`;
}

function podRow(pod: KubeObject, now: number): PrintedRow {
  const spec = rec(pod.spec);
  const status = rec(pod.status);
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  if (recs(status.conditions).some((c) => c.type === "PodScheduled" && c.reason === "SchedulingGated")) reason = "SchedulingGated";

  const initContainers = recs(spec.initContainers);
  // Sidecars (init containers with restartPolicy Always) count as containers.
  const restartable = new Set(initContainers.filter((c) => c.restartPolicy === "Always").map((c) => str(c.name)));
  const totalContainers = recs(spec.containers).length + restartable.size;
  let readyContainers = 0;
  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart = 0;
  let lastSidecarRestart = 0;

  let initializing = false;
  for (const [i, cs] of recs(status.initContainerStatuses).entries()) {
    const state = rec(cs.state);
    const sidecar = restartable.has(str(cs.name));
    restarts += num(cs.restartCount);
    lastRestart = laterRestart(lastRestart, cs);
    if (sidecar) {
      sidecarRestarts += num(cs.restartCount);
      lastSidecarRestart = laterRestart(lastSidecarRestart, cs);
    }
    if (state.terminated !== undefined && num(rec(state.terminated).exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) readyContainers++;
      continue;
    }
    const waitingReason = str(rec(state.waiting).reason);
    if (state.terminated !== undefined) reason = exitReason(rec(state.terminated), "Init:");
    else if (waitingReason && waitingReason !== "PodInitializing") reason = `Init:${waitingReason}`;
    else reason = `Init:${i}/${initContainers.length}`;
    initializing = true;
    break;
  }

  if (!initializing || hasCondition(status, "Initialized")) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = recs(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] as Json;
      const state = rec(cs.state);
      restarts += num(cs.restartCount);
      lastRestart = laterRestart(lastRestart, cs);
      if (str(rec(state.waiting).reason)) reason = str(rec(state.waiting).reason);
      else if (state.terminated !== undefined) reason = exitReason(rec(state.terminated), "");
      else if (cs.ready === true && state.running !== undefined) {
        hasRunning = true;
        readyContainers++;
      }
    }
    if (reason === "Completed" && hasRunning) reason = hasCondition(status, "Ready") ? "Running" : "NotReady";
  }

  const deleting = pod.metadata.deletionTimestamp !== undefined;
  if (deleting && status.reason === "NodeLost") reason = "Unknown";
  else if (deleting && phase !== "Succeeded" && phase !== "Failed") reason = "Terminating";

  const restartsText = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts);
  const podIPs = recs(status.podIPs);
  // Real servers always fill podIPs; a lab object with only podIP still shows its address.
  const ip = str(podIPs[0]?.ip) || str(status.podIP) || "<none>";
  const gates = recs(spec.readinessGates);
  const trueGates = gates.filter((g) => recs(status.conditions).find((c) => c.type === g.conditionType)?.status === "True").length;

  const row: PrintedRow = {
    cells: [
      pod.metadata.name ?? "",
      `${readyContainers}/${totalContainers}`,
      reason,
      restartsText,
      ageSince(pod.metadata.creationTimestamp, now),
      ip,
      str(spec.nodeName) || "<none>",
      str(status.nominatedNodeName) || "<none>",
      gates.length > 0 ? `${trueGates}/${gates.length}` : "<none>",
    ],
  };
  if (phase === "Succeeded") row.conditions = SUCCEEDED;
  if (phase === "Failed") row.conditions = FAILED;
  return row;
}

/** NAME READY STATUS RESTARTS AGE, then IP NODE NOMINATED NODE READINESS GATES at priority 1. */
export const podPrinter: BuiltinPrinter = { columns: COLUMNS, row: podRow };
