import type { YAMLError } from "yaml";

/** What to tell an operator about a YAML syntax error: where, what, and how to fix it. */
export interface YamlProblem {
  offset: number;
  message: string;
  hint: string;
}

/** Translates the yaml library's errors (written for programmers) into problems that point at the fix. */
export function describeYamlError(error: YAMLError, text: string): YamlProblem {
  const problem = describe(error, text);
  const line = lineAt(text, problem.offset);
  // `{` and `}` of a template end a YAML flow collection: the most common way to trip here.
  if (line.includes("${{") && /[[{]/.test(line.replace(/\$\{\{[^}]*\}\}/g, ""))) {
    return { ...problem, hint: 'a ${{ }} inside [ ] or { } must be quoted: "${{ … }}" (or use a block list or map)' };
  }
  return problem;
}

function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  return text.slice(start, end < 0 ? undefined : end);
}

function describe(error: YAMLError, text: string): YamlProblem {
  const [start, end] = error.pos;
  const plain = error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "").trim();
  switch (error.code) {
    case "MULTIPLE_DOCS":
      return {
        offset: start,
        message: "a second YAML document starts here; a runbook or inventory file holds exactly one",
        hint: "remove the `---` and what follows, or move it to a file of its own",
      };
    case "BLOCK_AS_IMPLICIT_KEY":
    case "MULTILINE_IMPLICIT_KEY":
      return {
        offset: firstNonSpace(text, lineStartAfter(text, start)),
        message: "a key is indented deeper than the key above it",
        hint: "keys of one map start in the same column: align it",
      };
    case "BAD_INDENT":
      return { offset: firstNonSpace(text, start), message: plain, hint: "keys of one map start in the same column; indent with spaces" };
    case "TAB_AS_INDENT":
      return { offset: start, message: plain, hint: "indent with spaces, never tabs" };
    case "DUPLICATE_KEY":
      return { offset: start, message: plain, hint: "a key may appear once per map: remove or rename one" };
    case "MISSING_CHAR": {
      const quote = /closing (["'])/.exec(plain)?.[1];
      if (quote)
        return {
          offset: Math.max(0, text.lastIndexOf(quote, start)),
          message: `this ${quote === '"' ? "double" : "single"}-quoted string is never closed`,
          hint: `close it with ${quote} on the same value`,
        };
      return { offset: start, message: plain, hint: "fix the YAML syntax" };
    }
    default:
      return { offset: Math.min(start, end), message: plain, hint: "fix the YAML syntax" };
  }
}

function lineStartAfter(text: string, offset: number): number {
  const newline = text.indexOf("\n", offset);
  return newline < 0 ? offset : newline + 1;
}

function firstNonSpace(text: string, offset: number): number {
  const lineStart = text.lastIndexOf("\n", offset - 1) + 1;
  let at = lineStart;
  while (at < text.length && (text[at] === " " || text[at] === "\t")) at++;
  return text[at] === "\n" || at >= text.length ? offset : Math.max(at, offset > lineStart && text[offset] !== " " ? offset : at);
}
