import type { PlannedAction, ProbeAction } from "../plan/types.js";
import { shellQuote } from "../util/shell-quote.js";

const DEVICE = /\/dev\/[A-Za-z0-9_./:-]+/g;
const KUBECTL_VERBS = new Set(["delete", "patch", "replace", "label", "annotate", "scale", "drain", "cordon", "edit", "set"]);

/**
 * What to read live before a destructive step asks (a pure decision): for a script that names
 * devices, what lsblk says about them (size, serial, model, mounts, what is built on them); for
 * a kubectl change of one object, the object as it is now. Undefined when nothing fits.
 */
export function liveReadFor(action: PlannedAction): ProbeAction | undefined {
  if (action.kind === "sh") {
    const devices = [...new Set(action.script.match(DEVICE) ?? [])];
    if (devices.length === 0) return undefined;
    return { kind: "sh", script: `lsblk -o NAME,SIZE,SERIAL,MODEL,MOUNTPOINTS ${devices.map(shellQuote).join(" ")} 2>&1 || true` };
  }
  if (action.kind === "kubectl") {
    const [verb, ...rest] = action.argv;
    if (!verb || !KUBECTL_VERBS.has(verb)) return undefined;
    const words: string[] = [];
    const flags: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const word = rest[i] as string;
      if (word === "-n" || word === "--namespace" || word === "--context") flags.push(word, rest[++i] ?? "");
      else if (word.startsWith("--namespace=") || word === "-A") flags.push(word);
      else if (!word.startsWith("-")) words.push(word);
    }
    const object = words[0]?.includes("/") ? [words[0]] : words.slice(0, 2);
    if (object.length === 0 || (object.length === 1 && !object[0]?.includes("/") && verb !== "drain" && verb !== "cordon"))
      return undefined;
    const what = verb === "drain" || verb === "cordon" ? ["node", ...words.slice(0, 1)] : object;
    return { kind: "kubectl", argv: ["get", ...what, ...flags, "-o", "yaml"] };
  }
  return undefined;
}
