import { hasTemplate } from "../../expr/template.js";
import { parseYamlPath } from "../../source/yaml-path.js";
import { repoPathProblem } from "../repo-path.js";
import type { EditSpec } from "../schema.js";
import { type Rule, steps } from "./context.js";

/** An edit does exactly one kind of change, to a file inside the GitOps repository. */
export const editsRule: Rule = ({ spec }, report) => {
  for (const { step, path, stage } of steps(spec)) {
    if (step.edit && stage.checkpoint === false) {
      report(
        [...path, "edit"],
        `edit in stage "${stage.id}", whose checkpoint is off: the change would never be committed`,
        "move the step to a stage with a checkpoint, or remove checkpoint: false",
        true,
      );
    }
    const edits: [(string | number)[], EditSpec | undefined][] = [
      [[...path, "edit"], step.edit],
      [[...path, "undo", "edit"], step.undo?.edit],
    ];
    for (const [where, edit] of edits) {
      if (!edit) continue;
      const changes = (["set", "unset", "content", "remove"] as const).filter((k) => edit[k] !== undefined && edit[k] !== false);
      if (changes.length === 0) report(where, "edit changes nothing", "give it set:, unset:, content: or remove: true");
      const whole = changes.filter((k) => k === "content" || k === "remove");
      if (whole.length > 0 && changes.length > 1) {
        report(
          where,
          `edit mixes ${changes.join(" and ")}`,
          "content replaces and remove deletes the whole file: use one of them alone, or set/unset",
        );
      }
      for (const key of [...Object.keys(edit.set ?? {}), ...(edit.unset ?? [])]) {
        if (hasTemplate(key)) continue;
        const parsed = parseYamlPath(key);
        const where2 =
          edit.set && Object.hasOwn(edit.set, key) ? [...where, "set", key] : [...where, "unset", (edit.unset ?? []).indexOf(key)];
        if ("error" in parsed)
          report(
            where2,
            `path "${key}": ${parsed.error} (at character ${parsed.at + 1})`,
            'write keys with dots: spec.suspend; quote keys holding dots or slashes: metadata.labels["storage"]',
            edit.set !== undefined && Object.hasOwn(edit.set, key),
          );
      }
      // Templated paths are checked again once resolved, when planning.
      const problem = hasTemplate(edit.file) ? undefined : repoPathProblem(edit.file);
      if (problem)
        report(
          [...where, "file"],
          `file ${problem}`,
          "write a path relative to the repository root, e.g. infrastructure/k3s1-node-config/k3s1-node.yaml",
        );
    }
  }
};
