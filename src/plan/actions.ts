import { hasTemplate } from "../expr/template.js";
import { parseDuration } from "../runbook/duration.js";
import { repoPathProblem } from "../runbook/repo-path.js";
import type { ActionKind, CheckSpec, RunbookSpec, StepSpec, UndoSpec } from "../runbook/schema.js";
import { targetKind } from "../runbook/targets.js";
import { parseYamlPath } from "../source/yaml-path.js";
import { shellQuote } from "../util/shell-quote.js";
import { ResolveError, type Resolver } from "./resolve.js";
import type { PlannedAction, PlannedTarget } from "./types.js";

/** A step's, probe's or undo's action with every template resolved. */
export function action(kind: ActionKind, spec: StepSpec | CheckSpec | UndoSpec, r: Resolver): PlannedAction {
  const s = spec as StepSpec;
  switch (kind) {
    case "sh": {
      const script = r.text(s.sh as string, true);
      // The script travels as one argument of `sh -c`, quoted again for the ssh session.
      fitsOneArgument(shellQuote(shellQuote(script)), "the script", s.sh as string);
      return { kind, script };
    }
    case "kubectl":
    case "local":
      return {
        kind,
        argv: (s[kind] as string[]).map((a) => {
          const arg = r.text(a);
          fitsOneArgument(arg, "this argument", a);
          return arg;
        }),
      };
    case "edit": {
      const e = s.edit as NonNullable<StepSpec["edit"]>;
      const file = r.text(e.file);
      const problem = repoPathProblem(file);
      if (problem) throw new ResolveError(`edit file ${problem}`, e.file);
      return {
        kind,
        file,
        ...(e.document ? { document: r.typed(e.document) as { kind?: string; name?: string } } : {}),
        ...(e.set ? { set: Object.fromEntries(Object.entries(e.set).map(([k, v]) => [editPath(r, k), r.typed(v)])) } : {}),
        ...(e.unset ? { unset: e.unset.map((u) => editPath(r, u)) } : {}),
        ...(e.content !== undefined ? { content: r.text(e.content) } : {}),
        ...(e.remove ? { remove: true } : {}),
      };
    }
    case "wait":
      return { kind, ms: parseDuration(s.wait as string) };
    case "prompt":
      return { kind, message: r.text(s.prompt as string) };
    case "uses":
      throw new Error("uses is expanded, never an action");
  }
}

/** Linux refuses one command-line argument longer than MAX_ARG_STRLEN (32 pages), with E2BIG. */
export const MAX_ARGUMENT_BYTES = 128 * 1024;

function fitsOneArgument(text: string, what: string, template: string): void {
  const bytes = Buffer.byteLength(text);
  if (bytes >= MAX_ARGUMENT_BYTES)
    throw new ResolveError(
      `${what} is ${Math.ceil(bytes / 1024)} KiB once quoted, and one command-line argument holds less than 128 KiB (the kernel refuses it with E2BIG); put large data in a file (edit content) instead`,
      template,
    );
}

/** An edit path with its templates resolved, checked once it is known. */
function editPath(r: Resolver, template: string): string {
  const path = r.text(template);
  if (hasTemplate(path)) return path; // still holds a run-time value: checked when it runs
  const parsed = parseYamlPath(path);
  if ("error" in parsed) throw new ResolveError(`edit path "${path}": ${parsed.error}`, template);
  return path;
}

export function plannedTarget(
  target: RunbookSpec["targets"] extends Record<string, infer T> | undefined ? T : never,
  r: Resolver,
): PlannedTarget {
  const kind = targetKind(target);
  if (kind === "ssh" && target.ssh) {
    const port = target.ssh.port;
    return {
      kind,
      host: r.text(target.ssh.host),
      ...(target.ssh.user !== undefined ? { user: r.text(target.ssh.user) } : {}),
      ...(port !== undefined ? { port } : {}),
      ...(target.ssh.become ? { become: target.ssh.become } : {}),
    };
  }
  if (kind === "kubectl" && target.kubectl) {
    return {
      kind,
      ...(target.kubectl.context !== undefined ? { context: r.text(target.kubectl.context) } : {}),
      ...(target.kubectl.kubeconfig !== undefined ? { kubeconfig: r.text(target.kubectl.kubeconfig) } : {}),
    };
  }
  return { kind: "local" };
}
