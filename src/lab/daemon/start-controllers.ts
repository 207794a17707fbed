import { helmReleaseController } from "../controllers/flux/helm-controller.js";
import { kustomizationController } from "../controllers/flux/kustomize-controller.js";
import { gitRepositoryController } from "../controllers/flux/source-controller.js";
import { nodeLifecycleController } from "../controllers/kube/node-lifecycle.js";
import { statefulSetController } from "../controllers/kube/statefulset.js";
import { longhornChartUpgradeController } from "../controllers/longhorn/chart-upgrade.js";
import { instanceManagerPdbController } from "../controllers/longhorn/instance-manager-pdb.js";
import { longhornManagerController } from "../controllers/longhorn/manager-controller.js";
import { longhornNodeController } from "../controllers/longhorn/node-controller.js";
import { longhornVolumeController } from "../controllers/longhorn/volume-controller.js";
import type { ControllerLike } from "../controllers/platform.js";
import { longhornNodeValidator } from "../kube-api/index.js";
import type { RunningLab } from "./build-lab.js";

import { labGitSource } from "./git-source.js";
import { nodeDisks } from "./node-disks.js";

/**
 * Starts the simulated controllers (Longhorn's node, manager and volume controllers, Flux's
 * source, kustomize and helm controllers, the node lifecycle) and Longhorn's admission webhook
 * of the lab's version, on the emulator's work queues. Returns the function that stops them.
 */
export function startControllers(
  lab: RunningLab,
  faults: { sshdStates: Map<string, "running" | "frozen" | "down">; stuckFinalizers: Set<string> },
  kubeconfig: string,
  log: (line: string) => void,
): () => void {
  const timing = { speed: lab.model.options.speed };
  const disks = nodeDisks(lab.nodes);
  const source = labGitSource(lab.model.dir, lab.repo.remote, kubeconfig);
  const controllers: ControllerLike[] = [
    nodeLifecycleController((node) => (faults.sshdStates.get(node) ?? "running") === "running", timing),
    longhornManagerController((node) => (diskPath) => disks.size(node, diskPath), timing),
    longhornNodeController(disks, timing, { finalizers: faults.stuckFinalizers }),
    longhornVolumeController(disks, timing),
    gitRepositoryController(source, timing),
    kustomizationController(source, timing),
    helmReleaseController,
    statefulSetController,
    instanceManagerPdbController,
    longhornChartUpgradeController,
  ];
  const stops = controllers.map((c) => lab.api.startController(c));
  // 1.10's webhook also refuses deleting a node that is Ready or runs replicas; 1.9's checks create and update only.
  const minor = lab.model.options.version.split(".").slice(0, 2).join(".") === "1.9" ? "1.9" : "1.10";
  stops.push(lab.api.admission.register(longhornNodeValidator({ version: minor })));
  log(`controllers: ${controllers.map((c) => c.name).join(", ")}; webhook validator.longhorn.io of ${minor}; at ${timing.speed}× speed`);
  return () => {
    for (const stop of stops) stop();
  };
}
