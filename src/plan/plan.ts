import { InputError } from "../errors.js";
import { referencedVariables } from "../expr/cel.js";
import type { LoadedInventory } from "../inventory/load.js";
import { actionOf, probeOf } from "../runbook/actions.js";
import { parseDuration } from "../runbook/duration.js";
import type { LoadedRunbook } from "../runbook/load.js";
import { checkParamValue, type ParamValue, type ParamValues } from "../runbook/params.js";
import { stepEdges } from "../runbook/rules/needs.js";
import type { ActionKind, CheckSpec, RunbookSpec, StepSpec, UndoSpec } from "../runbook/schema.js";
import { baseScope, foreachSpec } from "../runbook/scope.js";
import { chooseTarget } from "../runbook/targets.js";
import type { Diagnostic } from "../source/diagnostics.js";
import { pathToString } from "../source/diagnostics.js";
import { ValidationError } from "../source/validation-error.js";
import { topologicalOrder } from "../util/graph.js";
import { own } from "../util/own.js";
import { action, plannedTarget } from "./actions.js";
import { itemKey, listItems } from "./foreach.js";
import { withInventory } from "./inventory-targets.js";
import { itemSource, knownValues } from "./known-values.js";
import { ResolveError, Resolver } from "./resolve.js";
import type { Plan, PlannedCheck, PlannedStage, PlannedStep, PlannedTarget, ProbeAction } from "./types.js";

export interface PlanInput {
  runbook: LoadedRunbook;
  params: ParamValues;
  inventory?: LoadedInventory;
  /** Other runbooks by name, for `uses` (loaded beforehand: planning does no I/O). */
  runbooks?: ReadonlyMap<string, LoadedRunbook>;
  /** The GitOps checkout, as `repo.dir` in expressions. */
  repoDir?: string;
}

/** One runbook being expanded: the top one, or one pulled in by `uses` under a prefix. */
interface Frame {
  rb: LoadedRunbook;
  resolver: Resolver;
  prefix: string;
  /** A used runbook's params (not the secret ones), which its run-time expressions read. */
  params?: ParamValues;
  /** What the `uses` steps around this runbook impose on each of its steps. */
  inherited: Inherited;
}

/** A `uses` step's run-time `when` (it reads only captures) and `always`, passed down to the steps it inlines. */
interface Inherited {
  when?: string;
  always: boolean;
}

const DEFAULT_VERIFY_INTERVAL = 5_000;
const DEFAULT_VERIFY_TIMEOUT = 300_000;

/** Runbook + params + inventory → Plan. Pure: no I/O, the same input gives the same plan. */
export function plan(input: PlanInput): Plan {
  return new Planner(input).run();
}

class Planner {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly targets: Record<string, PlannedTarget> = {};

  constructor(private readonly input: PlanInput) {}

  run(): Plan {
    const { runbook, params, inventory } = this.input;
    this.checkParamMembership(runbook, params);
    const top = this.frame(runbook, params, "");
    const stages = this.diagnostics.length > 0 ? [] : runbook.spec.stages.map((stage, s) => this.stage(top, stage, s));
    if (this.diagnostics.length > 0) throw new ValidationError(this.diagnostics);
    return {
      apiVersion: "recover/v1",
      kind: "Plan",
      runbook: { name: runbook.spec.metadata.name, file: runbook.file, summary: runbook.spec.summary },
      ...(inventory ? { inventory: inventory.file } : {}),
      params: redact(runbook.spec, params),
      targets: this.targets,
      stages,
      ...(this.input.repoDir ? { gitops: { dir: this.input.repoDir, ...gitopsTarget(inventory) } } : {}),
    };
  }

  private frame(rb: LoadedRunbook, params: ParamValues, prefix: string): Frame {
    const secrets = new Set(
      Object.entries(rb.spec.params ?? {})
        .filter(([, p]) => p.secret)
        .map(([n]) => n),
    );
    const scope = { ...baseScope(rb.spec, {}), captures: "dyn" as const };
    const context = { params, inventory: this.input.inventory?.inventory ?? {}, repo: { dir: this.input.repoDir ?? "." }, captures: {} };
    const frame: Frame = { rb, resolver: Resolver.of(scope, context, secrets), prefix, inherited: { always: false } };
    for (const [name, target] of Object.entries(rb.spec.targets ?? {})) {
      this.guard(frame, ["targets", name], () => {
        this.targets[prefix + name] = withInventory(plannedTarget(target, frame.resolver), this.input.inventory);
      });
    }
    return frame;
  }

  /** `in:` params must name an item or key of what the expression gives (e.g. a node of the inventory). */
  private checkParamMembership(runbook: LoadedRunbook, params: ParamValues): void {
    const resolver = Resolver.of({ inventory: "dyn" }, { inventory: this.input.inventory?.inventory ?? {} }, new Set());
    for (const [name, spec] of Object.entries(runbook.spec.params ?? {})) {
      if (spec.in === undefined) continue;
      const readsInventory = referencedVariables(spec.in, { inventory: "dyn" }).has("inventory");
      if (readsInventory && !this.input.inventory) throw noInventory(runbook);
      let pool: unknown;
      try {
        pool = resolver.value(spec.in);
      } catch (error) {
        throw new InputError(
          `param ${name}: cannot list the allowed values (${spec.in}): ${(error as Error).message}`,
          "check the inventory",
        );
      }
      const choices = Array.isArray(pool) ? pool.map(String) : pool && typeof pool === "object" ? Object.keys(pool) : [];
      const value = params[name];
      if (!choices.includes(String(value))) {
        const shown = spec.secret ? "the secret value" : JSON.stringify(value);
        const from = readsInventory && this.input.inventory ? ` (inventory ${this.input.inventory.file})` : "";
        throw new InputError(`param ${name}: ${shown} is not in ${spec.in}${from}`, `choose one of: ${choices.join(", ") || "none"}`);
      }
    }
  }

  private stage(frame: Frame, stage: RunbookSpec["stages"][number], s: number): PlannedStage {
    const out: PlannedStep[] = [];
    this.steps(frame, stage.steps, ["stages", s, "steps"], [], out);
    const byId = new Map(out.map((st) => [st.id, st]));
    const order = topologicalOrder(
      out.map((st) => st.id),
      (id) => byId.get(id)?.needs ?? [],
    );
    const steps = order.map((id) => byId.get(id) as PlannedStep);
    const files = [...new Set(steps.flatMap((st) => (st.action.kind === "edit" && !st.skip ? [st.action.file] : [])))];
    const title =
      stage.title !== undefined
        ? this.attempt(frame, ["stages", s, "title"], () => frame.resolver.text(stage.title as string), stage.title)
        : stage.id;
    const planned: PlannedStage = { id: stage.id, title, steps };
    const uncommitted = stage.checkpoint === false ? steps.filter((st) => st.action.kind === "edit" && !st.skip) : [];
    if (uncommitted.length > 0)
      this.report(
        frame,
        ["stages", s, "checkpoint"],
        `stage ${stage.id} has checkpoint: false, but edits Git (${uncommitted.map((st) => st.id).join(", ")}, from a used runbook): the edit would never be committed`,
        "give the stage a checkpoint",
      );
    // A stage whose every step was skipped when planning changes nothing: no commit.
    if (stage.checkpoint !== false && steps.some((st) => !st.skip)) {
      const label = Object.entries(this.input.params)
        .filter(([n]) => own(frame.rb.spec.params, n)?.positional)
        .map(([, v]) => String(v));
      const message = stage.checkpoint?.message
        ? this.attempt(
            frame,
            ["stages", s, "checkpoint", "message"],
            () => frame.resolver.text(stage.checkpoint ? (stage.checkpoint.message as string) : ""),
            "",
          )
        : `recover ${[frame.rb.spec.metadata.name, ...label].join(" ")}: ${title} (stage ${s + 1}/${frame.rb.spec.stages.length})`;
      const push = (stage.checkpoint ? stage.checkpoint.push : undefined) ?? this.input.inventory?.inventory.gitops.push ?? false;
      planned.checkpoint = { message, files, push };
    }
    return planned;
  }

  /** Expands a list of steps (a stage, or a used runbook's stage); returns the ids that finish the group. */
  private steps(frame: Frame, specs: StepSpec[], base: (string | number)[], entry: string[], out: PlannedStep[]): string[] {
    const exits = new Map<string, string[]>();
    const start = out.length;
    const index = new Map(specs.map((st, i) => [st.id, i]));
    // Expand in dependency order so a step's needs are expanded before it, even when declared later.
    for (const id of topologicalOrder([...index.keys()], (id) => stepEdges(specs, index.get(id) as number))) {
      const i = index.get(id) as number;
      const step = specs[i] as StepSpec;
      const declared = stepEdges(specs, i);
      const needs = declared.length === 0 ? entry : [...new Set(declared.flatMap((d) => exits.get(d) ?? []))];
      exits.set(step.id, this.expand(frame, step, [...base, i], needs, out));
    }
    const group = out.slice(start);
    const needed = new Set(group.flatMap((st) => st.needs));
    const sinks = group.filter((st) => !needed.has(st.id)).map((st) => st.id);
    return group.length > 0 ? sinks : entry;
  }

  /** One runbook step → planned steps (one, one per foreach item, or a used runbook's steps). */
  private expand(frame: Frame, step: StepSpec, path: (string | number)[], needs: string[], out: PlannedStep[]): string[] {
    const each = foreachSpec(step);
    if (!each) return this.single(frame, step, path, `${frame.prefix}${step.id}`, needs, frame.resolver, out);
    const inPath = typeof step.foreach === "string" ? [...path, "foreach"] : [...path, "foreach", "in"];
    const items = this.attempt(frame, inPath, () => listItems(frame.resolver.value(each.in), each.in), []);
    if (each.reverse) items.reverse();
    let previous = needs;
    const parallelExits: string[] = [];
    const seen = new Set<string>();
    for (const [n, { item, key: mapKey }] of items.entries()) {
      const keyed = frame.resolver.with(each.as, item);
      const key = this.attempt(frame, [...path, "foreach"], () => itemKey(each.key, keyed, item, mapKey, n), String(n));
      const resolver = frame.resolver.with(each.as, item, itemSource(frame.resolver, each.in, each.as, key));
      if (seen.has(key)) {
        this.report(
          frame,
          [...path, "foreach"],
          `foreach gives the key "${key}" twice`,
          "set foreach.key to something unique per item (e.g. item.name)",
        );
        continue;
      }
      seen.add(key);
      // In parallel every item needs only what the step needs; in sequence, the item before.
      const after = this.single(frame, step, path, `${frame.prefix}${step.id}[${key}]`, each.parallel ? needs : previous, resolver, out, {
        [each.as]: item,
      });
      if (each.parallel) parallelExits.push(...after);
      else previous = after;
    }
    return each.parallel ? (parallelExits.length > 0 ? parallelExits : needs) : previous;
  }

  private single(
    frame: Frame,
    step: StepSpec,
    path: (string | number)[],
    id: string,
    needs: string[],
    parent: Resolver,
    out: PlannedStep[],
    vars?: Record<string, unknown>,
  ): string[] {
    const resolver = parent.fork();
    let skip: string | undefined;
    let when: string | undefined;
    if (step.when !== undefined) {
      const decided = this.attempt(frame, [...path, "when"], () => resolver.condition(step.when as string), true);
      if (decided === false) skip = `when: ${step.when} is false`;
      else if (decided === "deferred") when = step.when;
    }
    const whenKnown = when !== undefined ? knownValues(when, resolver) : [];
    if (step.uses && !skip) return this.uses(frame, step, path, id, needs, resolver, out, when);
    const built = this.attempt(frame, path, () => this.build(frame, step, path, id, needs, resolver), undefined);
    if (!built) return needs;
    if (skip) built.skip = skip;
    const gate = both(frame.inherited.when, when);
    if (gate) built.when = gate;
    if (whenKnown.length > 0) built.whenKnown = whenKnown;
    if (frame.inherited.always) built.always = true;
    if (built.always && built.destructive)
      this.report(frame, path, "a destructive step cannot run as `always` (it is inlined by a `uses` step with always: true)");
    if (vars) built.vars = vars;
    if (frame.params) built.params = frame.params;
    built.deferred = [...resolver.deferred];
    out.push(built);
    return [id];
  }

  private build(frame: Frame, step: StepSpec, path: (string | number)[], id: string, needs: string[], r: Resolver): PlannedStep {
    const { rb, prefix } = frame;
    const kind = actionOf(step);
    const position = rb.doc.positionOf(path);
    const planned: PlannedStep = {
      id,
      title: step.title !== undefined ? r.text(step.title) : defaultTitle(step, kind),
      origin: { runbook: rb.spec.metadata.name, file: rb.file, line: position.line, column: position.column, step: step.id },
      ...this.targetOf(rb.spec, prefix, kind, step.on),
      action: kind === "uses" ? { kind: "prompt", message: `uses ${step.uses?.runbook}` } : action(kind, step, r),
      needs,
      guards: (step.guard ?? []).map((g) => this.check(frame, g, kind, step.on, r)),
      always: step.always ?? false,
      deferred: [],
    };
    if (step.skipIf) planned.skipIf = this.check(frame, step.skipIf, kind, step.on, r);
    if (step.verify) {
      planned.verify = {
        ...this.check(frame, step.verify, kind, step.on, r),
        intervalMs: step.verify.interval ? parseDuration(step.verify.interval) : DEFAULT_VERIFY_INTERVAL,
        timeoutMs: step.verify.timeout ? parseDuration(step.verify.timeout) : DEFAULT_VERIFY_TIMEOUT,
      };
    }
    if (step.retry) {
      planned.retry = {
        attempts: step.retry.attempts,
        delayMs: step.retry.delay ? parseDuration(step.retry.delay) : 0,
        backoff: step.retry.backoff ?? 1,
      };
    }
    if (step.timeout) planned.timeoutMs = parseDuration(step.timeout);
    if (typeof step.destructive === "object") {
      planned.destructive = {
        confirm: r.text(step.destructive.confirm),
        ...(step.destructive.impact ? { impact: r.text(step.destructive.impact) } : {}),
      };
    }
    if (step.undo) planned.undo = this.undo(frame, step.undo, kind, step.on, r);
    if (step.capture) planned.capture = { as: step.capture.as, format: step.capture.format ?? "text" };
    if (step.readOnly) {
      if (kind !== "sh" && kind !== "kubectl" && kind !== "local")
        throw new ResolveError(`readOnly is for sh, kubectl and local steps, not ${kind}`, "readOnly");
      planned.readOnly = true;
    }
    return planned;
  }

  private uses(
    frame: Frame,
    step: StepSpec,
    path: (string | number)[],
    id: string,
    needs: string[],
    r: Resolver,
    out: PlannedStep[],
    when: string | undefined,
  ): string[] {
    const name = step.uses?.runbook as string;
    // Decided at run time for each inlined step, in that step's context: so it may read captures only.
    const foreign = when ? [...r.reads(when)].filter((v) => v !== "captures") : [];
    if (foreign.length > 0) {
      this.report(
        frame,
        [...path, "when"],
        `a uses step's when is decided at run time for each step it inlines, so it may read only captures (it reads ${foreign.join(", ")})`,
        "decide what reads params or the foreach item in a step before, and capture the result",
      );
      return needs;
    }
    const used = this.input.runbooks?.get(name);
    if (!used) {
      this.report(
        frame,
        [...path, "uses", "runbook"],
        `runbook "${name}" was not loaded`,
        "recover loads used runbooks before planning; is it in runbooks/?",
      );
      return needs;
    }
    const given = this.attempt(frame, [...path, "uses", "with"], () => r.typed(step.uses?.with ?? {}) as Record<string, unknown>, {});
    const params: ParamValues = Object.create(null);
    for (const [key, spec] of Object.entries(used.spec.params ?? {})) {
      const value = (Object.hasOwn(given, key) ? given[key] : spec.default) as ParamValue | undefined;
      const problem = value === undefined ? "is missing" : checkParamValue(key, spec, value);
      if (problem) {
        this.report(frame, [...path, "uses", "with"], `param ${key} of runbook ${name} ${problem}`);
        return needs;
      }
      params[key] = value as ParamValue;
    }
    this.checkParamMembership(used, params);
    const sub = this.frame(used, params, `${id}.`);
    const secret = new Set(Object.entries(used.spec.params ?? {}).flatMap(([k, p]) => (p.secret ? [k] : [])));
    sub.params = Object.fromEntries(Object.entries(params).filter(([k]) => !secret.has(k)));
    const gate = both(frame.inherited.when, when);
    sub.inherited = { ...(gate ? { when: gate } : {}), always: frame.inherited.always || (step.always ?? false) };
    let entry = needs;
    for (const [s, stage] of used.spec.stages.entries()) entry = this.steps(sub, stage.steps, ["stages", s, "steps"], entry, out);
    return entry;
  }

  private targetOf(spec: RunbookSpec, prefix: string, kind: ActionKind, on: string | undefined): { target?: string } {
    const choice = chooseTarget(spec, kind, on);
    return "name" in choice ? { target: prefix + choice.name } : {};
  }

  private check(frame: Frame, check: CheckSpec, stepKind: ActionKind, stepOn: string | undefined, r: Resolver): PlannedCheck {
    const probe = probeOf(check);
    const planned: PlannedCheck = { expect: check.expect };
    if (check.title !== undefined) planned.title = r.text(check.title);
    if (check.message !== undefined) planned.message = r.text(check.message);
    const known = knownValues(check.expect, r);
    if (known.length > 0) planned.known = known;
    if (probe) {
      planned.probe = action(probe, check, r) as ProbeAction;
      Object.assign(planned, this.targetOf(frame.rb.spec, frame.prefix, probe, check.on ?? (probe === stepKind ? stepOn : undefined)));
    }
    return planned;
  }

  private undo(frame: Frame, undo: UndoSpec, stepKind: ActionKind, stepOn: string | undefined, r: Resolver): PlannedStep["undo"] {
    const kind = actionOf(undo);
    return {
      ...this.targetOf(frame.rb.spec, frame.prefix, kind, undo.on ?? (kind === stepKind ? stepOn : undefined)),
      action: action(kind, undo, r),
      ...(undo.title !== undefined ? { title: r.text(undo.title) } : {}),
    };
  }

  /** Runs `fn`; a ResolveError becomes a diagnostic at `path` and `fallback` is returned. */
  private attempt<T>(frame: Frame, path: (string | number)[], fn: () => T, fallback: T): T {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof ResolveError)) throw error;
      if (!this.input.inventory && referencedVariables(error.expression, { inventory: "dyn" }).has("inventory"))
        throw noInventory(frame.rb);
      this.diagnostics.push(
        frame.rb.doc.diagnosticInValue(
          path,
          pathToString(path),
          error.expression,
          0,
          `cannot resolve \`${error.expression}\`: ${error.message}`,
          missingKeyHint(error.message),
        ),
      );
      return fallback;
    }
  }

  private guard(frame: Frame, path: (string | number)[], fn: () => void): void {
    this.attempt(frame, path, fn, undefined);
  }

  private report(frame: Frame, path: (string | number)[], message: string, hint?: string): void {
    this.diagnostics.push(frame.rb.doc.diagnostic(path, pathToString(path), message, hint));
  }
}

/** Two conditions that must both hold (either may be absent). */
function both(a: string | undefined, b: string | undefined): string | undefined {
  return a && b ? `(${a}) && (${b})` : (a ?? b);
}

/** CEL says "No such key: user" for an optional field left out (of the inventory, say): say how to default it. */
function missingKeyHint(message: string): string | undefined {
  const key = /No such key: (\S+)/.exec(message)?.[1];
  if (!key) return undefined;
  return `"${key}" is not set there (optional inventory fields such as ssh.user, ssh.port, serial and size may be left out): write \`….?${key}.orValue(DEFAULT)\` to default it`;
}

function gitopsTarget(inventory: LoadedInventory | undefined): { remote?: string; branch?: string } {
  return inventory ? { remote: inventory.inventory.gitops.remote, branch: inventory.inventory.gitops.branch } : {};
}

function noInventory(rb: LoadedRunbook): InputError {
  return new InputError(
    `runbook ${rb.spec.metadata.name} reads the inventory, and none was given`,
    "pass --inventory FILE, or --gitops DIR of a GitOps checkout holding recover/inventory.yaml",
  );
}

function defaultTitle(step: StepSpec, kind: ActionKind): string {
  return kind === "uses" ? `${step.id} (uses ${step.uses?.runbook})` : step.id;
}

function redact(spec: RunbookSpec, params: ParamValues): Record<string, ParamValue> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, own(spec.params, k)?.secret ? "<secret>" : v]));
}
