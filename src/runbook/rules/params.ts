import { checkParamValue } from "../params.js";
import type { Rule } from "./context.js";

/** Defaults fit their own declaration; patterns compile; a list default is a list. */
export const paramsRule: Rule = ({ spec }, report) => {
  for (const [name, param] of Object.entries(spec.params ?? {})) {
    const path = ["params", name];
    if (param.pattern !== undefined) {
      try {
        new RegExp(param.pattern);
      } catch (error) {
        report([...path, "pattern"], `pattern is not a valid regular expression: ${(error as Error).message}`);
        continue;
      }
    }
    if (param.default !== undefined) {
      const problem = checkParamValue(name, param, param.default);
      if (problem) report([...path, "default"], `default ${problem}`, "make the default fit the type, pattern and enum");
    }
    if (param.enum) {
      for (const [i, value] of param.enum.entries()) {
        const problem = checkParamValue(name, { ...param, type: param.type === "list" ? "string" : param.type, enum: undefined }, value);
        if (problem) report([...path, "enum", i], `enum value ${problem}`);
      }
    }
    if (param.secret && param.positional) {
      report(
        [...path, "secret"],
        `secret param "${name}" cannot be positional: it would show in shell history and process lists`,
        `pass it in the RECOVER_PARAM_${name.toUpperCase()} environment variable`,
        true,
      );
    }
  }
};
