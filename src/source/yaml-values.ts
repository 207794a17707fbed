import { type Document, isCollection, isScalar, type Node, visit } from "yaml";

/** A value the YAML parser accepted that recover refuses, with its source offset. */
export interface ValueProblem {
  offset: number;
  message: string;
  hint: string;
}

// Tags of the YAML core schema: they only spell out what a plain value already is.
const CORE_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => `tag:yaml.org,2002:${t}`));
// Tags the yaml library knows but that give a value no runbook field takes (bytes, a date, a set).
const FOREIGN_TAGS = new Set(["binary", "timestamp", "set", "omap", "pairs"]);

/**
 * Refuses what would be read silently as something else: a tag recover does not know (`!evil`,
 * `!!js/function` were read as plain strings), `!!binary`/`!!timestamp` (bytes and dates), an
 * integer outside the range a number holds exactly (`99999999999999999999` became 1e20), and a
 * NUL written as an escape (a script would be cut at it when executed), and a `__proto__` key
 * (a schema check would drop it silently).
 */
export function valueProblems(doc: Document, text: string): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const at = (node: Node) => node.range?.[0] ?? 0;
  visit(doc, (key, node) => {
    if (!isScalar(node) && !isCollection(node)) return;
    if (key === "key" && isScalar(node) && node.value === "__proto__") {
      problems.push({
        offset: at(node),
        message: "the key __proto__ is reserved",
        hint: "rename it: JavaScript would drop it silently, so recover refuses it",
      });
    }
    const tag = node.tag;
    if (tag !== undefined && tag !== "!" && !CORE_TAGS.has(tag)) problems.push({ offset: tagStart(text, at(node)), ...tagProblem(tag) });
    if (!isScalar(node)) return;
    const { value } = node;
    if (typeof value === "number" && (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))) {
      problems.push({
        offset: at(node),
        message: `the number ${String(node.source ?? value)} is too large to be held exactly (integers go up to ±${Number.MAX_SAFE_INTEGER})`,
        hint: "quote it if it is text",
      });
    }
    if (typeof value === "string" && value.includes("\0")) {
      problems.push({
        offset: at(node),
        message: "a NUL character (\\0) in a value",
        hint: "remove it: a command or script is cut at the first NUL",
      });
    }
  });
  return problems;
}

/** Where the tag of a node starting at `offset` is written: the `!` (or `!!`) before it. */
function tagStart(text: string, offset: number): number {
  let at = text.lastIndexOf("!", offset);
  while (at > 0 && text[at - 1] === "!") at--;
  return Math.max(0, at);
}

function tagProblem(tag: string): { message: string; hint: string } {
  const short = tag.startsWith("tag:yaml.org,2002:") ? `!!${tag.slice("tag:yaml.org,2002:".length)}` : tag;
  if (FOREIGN_TAGS.has(short.slice(2))) {
    const what = { "!!binary": "bytes", "!!timestamp": "a date" }[short] ?? "a collection type";
    return {
      message: `YAML tag ${short} (${what}) is not supported: runbooks and inventories hold text, numbers, booleans, lists and maps`,
      hint: "remove the tag and write the value as plain text",
    };
  }
  return {
    message: `unknown YAML tag ${short}`,
    hint: "remove the tag; a value that starts with ! (a CEL negation, say) must be quoted: '!has(x.y)'",
  };
}
