import { InputError } from "../errors.js";
import { own } from "../util/own.js";
import type { ParamSpec, RunbookSpec } from "./schema.js";

export type ParamValue = string | number | boolean | string[];
export type ParamValues = Record<string, ParamValue>;

/** What the command line gave: positional words and `name=value` pairs. */
export interface ParamInput {
  positional: string[];
  named: Record<string, string | string[]>;
}

/** Checks a typed value against its declaration; returns what is wrong, or undefined. */
export function checkParamValue(name: string, spec: Pick<ParamSpec, "type" | "pattern" | "enum">, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  switch (spec.type) {
    case "string":
      if (typeof value !== "string") return `${shown} is not a string`;
      break;
    case "int":
      if (typeof value !== "number" || !Number.isInteger(value)) return `${shown} is not an integer`;
      if (!Number.isSafeInteger(value)) return `${shown} is outside the range of exact integers (±${Number.MAX_SAFE_INTEGER})`;
      break;
    case "bool":
      if (typeof value !== "boolean") return `${shown} is not true or false`;
      break;
    case "list":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return `${shown} is not a list of strings`;
      break;
  }
  if (spec.pattern !== undefined) {
    const re = new RegExp(`^(?:${spec.pattern})$`, "u");
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!re.test(String(item))) return `${JSON.stringify(item)} does not match pattern ${spec.pattern}`;
    }
  }
  if (spec.enum) {
    // For a list, every item must be one of the enum values.
    for (const item of Array.isArray(value) ? value : [value]) {
      if (!spec.enum.some((e) => e === item))
        return `${JSON.stringify(item)} is not one of ${spec.enum.map((e) => JSON.stringify(e)).join(", ")}`;
    }
  }
  void name;
  return undefined;
}

/** Converts one command-line word to the declared type. */
export function convertParam(name: string, spec: ParamSpec, raw: string | string[]): ParamValue {
  const shown = spec.secret ? "the secret value" : JSON.stringify(raw);
  const fail = (what: string) => new InputError(`param ${name}: ${shown} ${what}`, usageHint(name, spec));
  // Node turns bytes of the command line that are not UTF-8 into U+FFFD: the value would not be the one typed.
  if ((Array.isArray(raw) ? raw : [raw]).some((r) => r.includes("\uFFFD")))
    throw new InputError(`param ${name}: the value holds bytes that are not UTF-8 (shown as U+FFFD)`, "give the value as UTF-8 text");
  if (spec.type === "list") return (Array.isArray(raw) ? raw : [raw]).flatMap((r) => r.split(",")).filter((r) => r !== "");
  const text = Array.isArray(raw) ? (raw.at(-1) ?? "") : raw;
  if (spec.type === "int") {
    if (!/^-?\d+$/.test(text)) throw fail("is not an integer");
    const n = Number(text);
    if (!Number.isSafeInteger(n)) throw fail(`is outside the range of exact integers (±${Number.MAX_SAFE_INTEGER})`);
    return n;
  }
  if (spec.type === "bool") {
    if (/^(true|yes|1)$/i.test(text)) return true;
    if (/^(false|no|0)$/i.test(text)) return false;
    throw fail("is not a boolean (true or false)");
  }
  return text;
}

function usageHint(name: string, spec: ParamSpec): string {
  const parts = [`${name} is ${spec.type}`];
  if (spec.pattern) parts.push(`matching ${spec.pattern}`);
  if (spec.enum) parts.push(`one of ${spec.enum.join(", ")}`);
  if (spec.description) parts.push(`(${spec.description})`);
  return parts.join(" ");
}

export function usageLine(runbook: RunbookSpec): string {
  const params = Object.entries(runbook.params ?? {});
  const positional = params.filter(([, p]) => p.positional).map(([n, p]) => (p.default === undefined ? `<${n}>` : `[${n}]`));
  const named = params.filter(([, p]) => !p.positional).map(([n, p]) => `[--param ${n}=<${p.type}>]`);
  return `recover ${runbook.metadata.name} ${[...positional, ...named].join(" ")}`.trim();
}

/**
 * Binds command-line input to the declared params: positional words in declaration order,
 * `--param name=value` for the rest, then defaults; every value checked before anything runs.
 */
export function bindParams(runbook: RunbookSpec, input: ParamInput, env: Readonly<Record<string, string | undefined>> = {}): ParamValues {
  const declared = runbook.params ?? {};
  // Keys are the user's param names: `constructor` or `toString` must be neither present nor bindable by inheritance.
  const values: ParamValues = Object.create(null);
  const positional = Object.entries(declared).filter(([, p]) => p.positional);
  const usage = `usage: ${usageLine(runbook)}`;
  if (input.positional.length > positional.length) {
    const extra = input.positional.slice(positional.length);
    throw new InputError(`too many arguments for ${runbook.metadata.name}: ${extra.map((e) => JSON.stringify(e)).join(" ")}`, usage);
  }
  for (const [i, word] of input.positional.entries()) {
    const [name, spec] = positional[i] as [string, ParamSpec];
    values[name] = convertParam(name, spec, word);
  }
  for (const [name, raw] of Object.entries(input.named)) {
    const spec = own(declared, name);
    if (!spec) {
      const known = Object.keys(declared);
      throw new InputError(
        `runbook ${runbook.metadata.name} has no param "${name}"`,
        known.length ? `its params: ${known.join(", ")}; ${usage}` : usage,
      );
    }
    if (Object.hasOwn(values, name)) throw new InputError(`param ${name} given twice (as an argument and with --param)`, usage);
    values[name] = convertParam(name, spec, raw);
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (!Object.hasOwn(values, name)) {
      const fromEnv = env[`RECOVER_PARAM_${name.toUpperCase()}`];
      if (spec.secret && fromEnv !== undefined) values[name] = convertParam(name, spec, fromEnv);
      else if (spec.default !== undefined) values[name] = spec.default as ParamValue;
      else if (spec.positional) throw new InputError(`missing argument <${name}> for ${runbook.metadata.name}`, usage);
      else throw new InputError(`missing param ${name} for ${runbook.metadata.name}`, `pass --param ${name}=<${spec.type}>; ${usage}`);
    }
    const problem = checkParamValue(name, spec, values[name]);
    if (problem) {
      const shown = spec.secret ? "the secret value does not fit its declaration" : problem;
      throw new InputError(`param ${name}: ${shown}`, usageHint(name, spec));
    }
  }
  return values;
}

/** CEL types of the params, for type-checking expressions. */
export function paramTypes(runbook: RunbookSpec): Record<string, string> {
  const celType = { string: "string", int: "int", bool: "bool", list: "list<string>" } as const;
  return Object.fromEntries(Object.entries(runbook.params ?? {}).map(([n, p]) => [n, celType[p.type]]));
}
