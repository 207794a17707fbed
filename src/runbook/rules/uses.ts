import { type Rule, steps } from "./context.js";

/** `uses` names a runbook that exists, passes only params it declares and every required one. */
export const usesRule: Rule = ({ spec, findRunbook }, report) => {
  for (const { step, path } of steps(spec)) {
    if (!step.uses) continue;
    const where = [...path, "uses", "runbook"];
    if (step.uses.runbook === spec.metadata.name) {
      report(where, `runbook "${spec.metadata.name}" uses itself`, "a runbook cannot include itself");
      continue;
    }
    const used = findRunbook(step.uses.runbook);
    if (used && "cycle" in used) {
      report(where, `runbooks use each other in a cycle: ${used.cycle.join(" → ")}`, "a runbook cannot (indirectly) use itself");
      continue;
    }
    if (!used) {
      report(
        where,
        `uses unknown runbook "${step.uses.runbook}"`,
        "runbooks are looked up by file name in runbooks/ of the project and recover/runbooks/ of the GitOps repo (recover list)",
      );
      continue;
    }
    const declared = used.params ?? {};
    const given = step.uses.with ?? {};
    for (const key of Object.keys(given)) {
      if (!Object.hasOwn(declared, key)) {
        report(
          [...path, "uses", "with", key],
          `runbook "${step.uses.runbook}" has no param "${key}"`,
          `its params: ${Object.keys(declared).join(", ") || "none"}`,
          true,
        );
      }
    }
    for (const [key, param] of Object.entries(declared)) {
      if (param.default === undefined && !Object.hasOwn(given, key)) {
        report([...path, "uses"], `runbook "${step.uses.runbook}" needs param "${key}"`, `add with: {${key}: …}`, true);
      }
    }
  }
};
