/**
 * A drill scenario (fixtures/drills/<runbook>/<name>.yaml): the faults to inject and when, the
 * runbook's expected outcome, what to do after it (resume, run again), and probes of the state —
 * kubectl, a command on a node, Git — each at the start, at the end, or continuously during the
 * run. The shape LitmusChaos and Chaos Mesh give an experiment, with a recovery in the middle.
 */
import * as z from "zod";
import { durationPattern } from "../runbook/duration.js";
import { API_VERSION } from "../source/api-version.js";

const stepId = z.string().regex(/^[a-z0-9][-a-z0-9_.[\]]*$/, "must be a planned step id, e.g. prepare[sdf1].wipe[sdf1]");
const stageId = z.string().regex(/^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/, "must be a stage id");

/** When something happens during the run: before it, when a step starts (or ends), after a stage, after N seconds. */
export const triggerSchema = z.union([
  z.literal("start").describe("before the runbook starts"),
  z.strictObject({ step: stepId, state: z.enum(["running", "succeeded", "failed", "skipped"]).default("running") }),
  z.strictObject({ stage: stageId, state: z.enum(["done", "failed"]).default("done") }),
  z.strictObject({ seconds: z.number().positive().max(3600) }),
]);

export const faultSpecSchema = z.strictObject({
  /** A lab fault (recover lab fault KIND TARGET), or a drill action: kill (kill -9 recover), clear (every lab fault). */
  fault: z.string().regex(/^[a-z][-a-z]*$/, "must be a lab fault kind (recover lab fault list) or kill, clear"),
  target: z.string().optional(),
  at: triggerSchema.default("start"),
});

export const probeSchema = z
  .strictObject({
    name: z.string().min(1),
    mode: z.enum(["start", "end", "continuous"]).default("end"),
    /** Between two evaluations of a continuous probe; default 2s. */
    interval: z.string().regex(durationPattern, "must be a duration like 2s").optional(),
    kubectl: z.array(z.string()).min(1).optional(),
    ssh: z.strictObject({ node: z.string(), sh: z.string().min(1) }).optional(),
    /** git in the lab's GitOps clone, after fetching origin (so origin/main is what Flux sees). */
    git: z.array(z.string()).min(1).optional(),
    /** CEL over result (exitCode, stdout, stderr, json). */
    expect: z.string().min(1),
    message: z.string().optional(),
  })
  .refine((p) => [p.kubectl, p.ssh, p.git].filter((x) => x !== undefined).length === 1, {
    message: "a probe has exactly one of kubectl, ssh, git",
  });

export const invocationExpectSchema = z.strictObject({
  exitCode: z.number().int().default(0),
  /** Texts the run's output must contain: what it tells the operator. */
  output: z.array(z.string()).default([]),
});

export const followUpSchema = z.strictObject({
  /**
   * resume: recover resume (the last unfinished run); resume-from-git: `recover resume --from-git`
   * from another machine (the checkout and state directory moved aside, a fresh clone of the remote);
   * rerun: the runbook again, as the operator would.
   */
  run: z.enum(["resume", "resume-from-git", "rerun"]),
  /** Take back every lab fault before it (a busy holder ended, sshd started again). */
  clearFaults: z.boolean().default(true),
  /** Faults of this invocation (kill -9 at the next stage boundary, …). */
  faults: z.array(faultSpecSchema).default([]),
  expect: invocationExpectSchema.prefault({}),
});

/** A command that puts the lab in the state the drill starts from (a stuck object, a duplicate disk). */
export const setupSchema = z
  .strictObject({
    kubectl: z.array(z.string()).min(1).optional(),
    ssh: z.strictObject({ node: z.string(), sh: z.string().min(1) }).optional(),
    /** A lab fault that must hold before the next setup command (a finalizer kept before the delete). */
    fault: z
      .string()
      .regex(/^[a-z][-a-z]*$/)
      .optional(),
    target: z.string().optional(),
    /** kubectl's stdin (apply -f -). */
    input: z.string().optional(),
  })
  .refine((s) => [s.kubectl, s.ssh, s.fault].filter((x) => x !== undefined).length === 1, {
    message: "a setup command has exactly one of kubectl, ssh, fault",
  });

export const scenarioSchema = z.strictObject({
  $schema: z.string().optional(),
  apiVersion: z.literal(API_VERSION),
  kind: z.literal("Drill"),
  metadata: z.strictObject({ name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be lowercase letters, digits and dashes") }),
  summary: z.string().min(1),
  /** The runbook and its arguments; the command line's win. */
  runbook: z.string().optional(),
  args: z.array(z.string()).optional(),
  params: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, "must be name=value")).default([]),
  lab: z
    .strictObject({
      nodes: z.number().int().min(1).max(9).optional(),
      disks: z.number().int().min(1).max(9).optional(),
      version: z.string().optional(),
    })
    .default({}),
  setup: z.array(setupSchema).default([]),
  faults: z.array(faultSpecSchema).default([]),
  expect: invocationExpectSchema.prefault({}),
  after: z.array(followUpSchema).default([]),
  probes: z.array(probeSchema).default([]),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type Trigger = z.infer<typeof triggerSchema>;
export type FaultSpec = z.infer<typeof faultSpecSchema>;
export type ProbeSpec = z.infer<typeof probeSchema>;
export type FollowUp = z.infer<typeof followUpSchema>;
export type InvocationExpect = z.infer<typeof invocationExpectSchema>;
export type SetupCommand = z.infer<typeof setupSchema>;
