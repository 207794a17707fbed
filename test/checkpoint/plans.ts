import { createHash } from "node:crypto";
import type { CommitStageInput, EditAction } from "../../src/checkpoint/index.js";
import type { Plan, PlannedStep } from "../../src/plan/types.js";
import { planFrom } from "../helpers/plan.js";

/** A canary that stands for a secret: it must never reach a commit. */
export const CANARY = "canary-7f3a9c-never-in-git";

/** A runbook that edits the fixtures' GitOps files in three stages, as a recovery does. */
export function recoveryRunbook(options: { push?: boolean } = {}): string {
  const checkpoint = options.push ? "\n    checkpoint: {push: true}" : "";
  return `apiVersion: recover/v1
kind: Runbook
metadata: {name: reregister}
summary: Suspend Flux, rewrite the Node CR, resume Flux
params:
  node: {type: string, positional: true, pattern: "[a-z0-9-]+"}
  token: {type: string, secret: true, default: ${CANARY}}
stages:
  - id: suspend
    title: Suspend Flux, parents first${checkpoint}
    steps:
      - id: suspend-storage
        edit: {file: clusters/k3s-flux/infrastructure-storage.yaml, set: {spec.suspend: true}}
      - id: suspend-monitoring
        edit: {file: clusters/k3s-flux/monitoring.yaml, set: {spec.suspend: true}}
  - id: node
    title: Write the Node CR${checkpoint}
    steps:
      - id: node-config
        edit:
          file: infrastructure/k3s1-node-config/k3s1-node.yaml
          document: {kind: Node, name: "\${{ params.node }}"}
          set: {spec.allowScheduling: false}
  - id: resume
    title: Resume Flux${checkpoint}
    steps:
      - id: resume-storage
        edit: {file: clusters/k3s-flux/infrastructure-storage.yaml, set: {spec.suspend: false}}
`;
}

export function recoveryPlan(options: { push?: boolean } = {}): Plan {
  return planFrom(recoveryRunbook(options), { positional: ["k3s1"] });
}

export const planHash = (plan: Plan) => `sha256:${createHash("sha256").update(JSON.stringify(plan)).digest("hex")}`;

/** The journal the engine would hand over: JSON lines, the first the run record, secrets already redacted. */
export function journalFor(plan: Plan, runId: string, stageIndex: number): string {
  const lines = [{ type: "run", runId, planHash: planHash(plan), plan }];
  for (let s = 0; s <= stageIndex; s++) lines.push({ type: "stage", stage: plan.stages[s]?.id, state: "done" } as never);
  return `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`;
}

export function editSteps(plan: Plan, stageIndex: number): { id: string; action: EditAction }[] {
  return (plan.stages[stageIndex]?.steps ?? [])
    .filter((s): s is PlannedStep & { action: EditAction } => s.action.kind === "edit")
    .map((s) => ({ id: s.id, action: s.action }));
}

export function stageInput(plan: Plan, runId: string, stageIndex: number, status: CommitStageInput["status"] = "done"): CommitStageInput {
  return {
    runId,
    planHash: planHash(plan),
    stage: plan.stages[stageIndex] as Plan["stages"][number],
    stageIndex,
    stageCount: plan.stages.length,
    status,
    journal: journalFor(plan, runId, stageIndex),
  };
}

/** The fixture files the recovery runbook edits. */
export const STORAGE = "clusters/k3s-flux/infrastructure-storage.yaml";
export const MONITORING = "clusters/k3s-flux/monitoring.yaml";
export const NODE = "infrastructure/k3s1-node-config/k3s1-node.yaml";
