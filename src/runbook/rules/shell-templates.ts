import { scriptProblems } from "../shell/check.js";
import { type Rule, steps } from "./context.js";

/**
 * Every `sh` script (of a step, a check or an undo) is read by a real POSIX shell parser, and each
 * `${{ }}` must sit where recover's quoting keeps its value one word: see "Shell quoting" in
 * docs/runbook-language.md for the rule and the attacks it prevents.
 */
export const shellTemplatesRule: Rule = ({ spec }, _report, reportIn) => {
  for (const { step, path } of steps(spec)) {
    const scripts: [(string | number)[], string | undefined][] = [
      [[...path, "sh"], step.sh],
      ...(step.guard ?? []).map((g, i) => [[...path, "guard", i, "sh"], g.sh] as [(string | number)[], string | undefined]),
      [[...path, "skipIf", "sh"], step.skipIf?.sh],
      [[...path, "verify", "sh"], step.verify?.sh],
      [[...path, "undo", "sh"], step.undo?.sh],
    ];
    for (const [where, script] of scripts) {
      if (script === undefined) continue;
      for (const problem of scriptProblems(script)) reportIn(where, script, problem.offset, problem.message, problem.hint);
    }
  }
};
