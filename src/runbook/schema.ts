import * as z from "zod";
import { API_VERSION } from "../source/api-version.js";
import { durationPattern } from "./duration.js";

// One source for the runbook language: TypeScript types are inferred from it
// and `recover schema` prints the JSON Schema generated from it.

const name = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be lowercase letters, digits and dashes (like a Kubernetes name)");
const identifier = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a letter or _ followed by letters, digits or _ (usable in expressions)");
const stepId = z.string().regex(/^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$/, "must be lowercase letters, digits, dashes and underscores");
const duration = z.string().regex(durationPattern, 'must be a duration such as "500ms", "30s", "5m" or "1h30m"');
const argv = z.array(z.string()).min(1, "needs at least the command");

export const paramSchema = z
  .strictObject({
    type: z.enum(["string", "int", "bool", "list"]).describe("Value type; list is a list of strings."),
    description: z.string().optional(),
    pattern: z.string().optional().describe("Regular expression the whole value (each item of a list) must match."),
    enum: z.array(z.union([z.string(), z.number(), z.boolean()])).optional(),
    default: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]).optional(),
    positional: z.boolean().optional().describe("Taken from the command line in declaration order."),
    in: z
      .string()
      .optional()
      .describe("CEL expression giving a list or map (e.g. inventory.nodes); the value must be one of its items or keys."),
    secret: z.boolean().optional().describe("Never printed, journaled or committed."),
  })
  .describe("A typed runbook parameter, validated before anything runs.");

export const targetSchema = z
  .strictObject({
    ssh: z
      .strictObject({
        host: z.string().describe("Host alias, resolved like OpenSSH (~/.ssh/config)."),
        user: z.string().optional(),
        port: z.number().int().min(1).max(65535).optional(),
        become: z.enum(["sudo"]).optional(),
      })
      .optional(),
    kubectl: z
      .strictObject({
        context: z.string().optional(),
        kubeconfig: z.string().optional(),
      })
      .optional(),
    local: z.strictObject({}).optional().describe("The operator's machine."),
  })
  .describe("A named connection: exactly one of ssh, kubectl, local.");

const editSchema = z
  .strictObject({
    file: z.string().describe("Path inside the GitOps repository."),
    document: z
      .strictObject({ kind: z.string().optional(), name: z.string().optional() })
      .optional()
      .describe("Which document of a multi-document file; the first one when absent."),
    set: z.record(z.string(), z.unknown()).optional().describe('Dotted paths to values, e.g. {"spec.suspend": true}.'),
    unset: z.array(z.string()).optional(),
    content: z.string().optional().describe("Write the whole file (creates it)."),
    remove: z.boolean().optional().describe("Delete the file."),
  })
  .describe("Change a YAML file in the GitOps repository; committed at the stage checkpoint.");

/** The fields that make an action; a step, probe or undo has exactly one. */
export const actionFields = {
  sh: z.string().optional().describe("Shell script; ${{ }} values are shell-quoted."),
  kubectl: argv.optional().describe("kubectl arguments, never through a shell."),
  local: argv.optional().describe("A command on the operator's machine, never through a shell."),
  edit: editSchema.optional(),
  wait: duration.optional().describe("Pause for a duration."),
  prompt: z.string().optional().describe("A manual action the operator confirms."),
};
export const ACTION_KINDS = ["sh", "kubectl", "local", "edit", "wait", "prompt", "uses"] as const;
export const PROBE_KINDS = ["sh", "kubectl", "local"] as const;

export const checkSchema = z
  .strictObject({
    title: z.string().optional(),
    on: z.string().optional(),
    sh: actionFields.sh,
    kubectl: actionFields.kubectl,
    local: actionFields.local,
    expect: z.string().describe("CEL condition over `result` (exitCode, stdout, stderr, json) and the context."),
    message: z.string().optional().describe("What the operator is told when the condition does not hold."),
  })
  .describe("A read-only probe and the condition its result must meet.");

export const verifySchema = checkSchema
  .extend({
    interval: duration.optional(),
    timeout: duration.optional(),
  })
  .describe("A postcondition polled until it holds or the timeout passes.");

export const undoSchema = z.strictObject({ title: z.string().optional(), on: z.string().optional(), ...actionFields });

export const stepSchema = z
  .strictObject({
    id: stepId,
    title: z.string().optional(),
    description: z.string().optional(),
    on: z.string().optional().describe("Target name; defaults to the only target of the kind the action needs."),
    ...actionFields,
    uses: z
      .strictObject({ runbook: name, with: z.record(z.string(), z.unknown()).optional() })
      .optional()
      .describe("Run another runbook's steps here with these params."),
    needs: z.array(z.string()).optional().describe("Steps of this stage that must finish first; default: the previous step."),
    when: z.string().optional().describe("CEL condition; when false the step is skipped (shown as skipped in the plan)."),
    guard: z.array(checkSchema).optional().describe("Preconditions; the run stops before the step if one fails."),
    skipIf: checkSchema.optional().describe("Postcondition already true: the step is a no-op."),
    verify: verifySchema.optional(),
    retry: z
      .strictObject({
        attempts: z.number().int().min(1).max(100),
        delay: duration.optional(),
        backoff: z.number().min(1).max(10).optional(),
      })
      .optional(),
    timeout: duration.optional(),
    destructive: z
      .union([
        z.boolean(),
        z.strictObject({
          confirm: z.string().describe("What the operator must type to go ahead (a node or device name)."),
          impact: z.string().optional().describe("The blast radius shown before asking."),
        }),
      ])
      .optional(),
    undo: undoSchema.optional().describe("Compensation run when a later step fails."),
    always: z.boolean().optional().describe("Runs even when the run failed (e.g. resume Flux)."),
    readOnly: z
      .boolean()
      .optional()
      .describe("sh, kubectl and local steps only: the step only reads (runs under --dry-run --probe, never counts as a change)"),
    capture: z
      .strictObject({ as: identifier, format: z.enum(["text", "json"]).optional() })
      .optional()
      .describe("Keep stdout as captures.<as> for later expressions."),
    foreach: z
      .union([
        z.string(),
        z.strictObject({
          in: z.string(),
          as: identifier.optional(),
          key: z.string().optional(),
          reverse: z.boolean().optional(),
          parallel: z.boolean().optional().describe("Items run side by side (each needs only what the step needs), not one after another."),
        }),
      ])
      .optional()
      .describe("CEL list (or map) to repeat the step over, resolved when planning."),
  })
  .describe("One unit of work: an action on a target with its conditions.");

export const stageSchema = z.strictObject({
  id: stepId,
  title: z.string().optional(),
  steps: z.array(stepSchema).min(1, "a stage needs at least one step"),
  checkpoint: z
    .union([z.literal(false), z.strictObject({ message: z.string().optional(), push: z.boolean().optional() })])
    .optional()
    .describe("Git commit made when the stage ends; false turns it off."),
});

export const runbookSchema = z
  .strictObject({
    $schema: z.string().optional(),
    apiVersion: z.literal(API_VERSION),
    kind: z.literal("Runbook"),
    metadata: z.strictObject({
      name,
      labels: z.record(z.string(), z.string()).optional(),
    }),
    summary: z.string().min(1),
    description: z.string().optional(),
    params: z.record(identifier, paramSchema).optional(),
    targets: z.record(identifier, targetSchema).optional(),
    stages: z.array(stageSchema).min(1, "a runbook needs at least one stage"),
  })
  .describe("A recover runbook.");

export type RunbookSpec = z.infer<typeof runbookSchema>;
export type StageSpec = z.infer<typeof stageSchema>;
export type StepSpec = z.infer<typeof stepSchema>;
export type CheckSpec = z.infer<typeof checkSchema>;
export type VerifySpec = z.infer<typeof verifySchema>;
export type UndoSpec = z.infer<typeof undoSchema>;
export type ParamSpec = z.infer<typeof paramSchema>;
export type TargetSpec = z.infer<typeof targetSchema>;
export type EditSpec = z.infer<typeof editSchema>;
export type ActionKind = (typeof ACTION_KINDS)[number];
