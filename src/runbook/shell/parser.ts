import module, { createRequire } from "node:module";

/**
 * A node of mvdan/sh's syntax tree as plain data: `type` ("CallExpr", "Lit", …) and the fields of
 * the Go struct (package `syntax`), lists as arrays, nil as undefined.
 */
export interface ShNode {
  readonly type: string;
  readonly [field: string]: unknown;
}

interface Syntax {
  NewParser(...options: unknown[]): { Parse(text: string, name: string): { __internal_object__?: unknown } };
  KeepComments(on: boolean): unknown;
  Variant(lang: unknown): unknown;
  LangPOSIX: unknown;
}

let syntax: Syntax | undefined;

/**
 * mvdan-sh (mvdan/sh, the parser of shfmt, compiled to JavaScript by GopherJS), loaded on first
 * use: 1.5 MB that only validating an `sh` script needs, so other commands never pay for it.
 */
function shellSyntax(): Syntax {
  if (!syntax) {
    // Node's compile cache for what loads from here on: compiling mvdan-sh afresh at every run costs more than running it.
    module.enableCompileCache?.();
    syntax = (createRequire(import.meta.url)("mvdan-sh") as { syntax: Syntax }).syntax;
  }
  return syntax;
}

export type ShellParse = { file: ShNode } | { error: { line: number; byteColumn: number; message: string } };

/** Parses a script as POSIX sh (what the engine runs it with), comments kept. */
export function parseShell(script: string): ShellParse {
  const sh = shellSyntax();
  try {
    const file = sh.NewParser(sh.KeepComments(true), sh.Variant(sh.LangPOSIX)).Parse(script, "script");
    return { file: plain(file.__internal_object__) as ShNode };
  } catch (error) {
    if (error instanceof RangeError) return { error: { line: 1, byteColumn: 1, message: "the script nests too deeply to be read" } };
    const text = String((error as { Error?: () => string }).Error?.() ?? (error as Error).message);
    const m = /^[^:]*:(\d+):(\d+): ([\s\S]*)$/.exec(text);
    if (!m) return { error: { line: 1, byteColumn: 1, message: text } };
    return { error: { line: Number(m[1]), byteColumn: Number(m[2]), message: m[3] as string } };
  }
}

type GoValue = { constructor?: { string?: string; nil?: unknown }; [field: string]: unknown };

/**
 * The tree as plain objects, read from the Go structs under mvdan-sh's wrappers: every field read
 * through a wrapper builds new wrappers (and syntax.NodeType goes through Go reflection), which
 * made checking a runbook's scripts take hundreds of milliseconds. GopherJS keeps a struct
 * pointer as an object with the fields (its type name on the constructor, `nil` a shared
 * instance), a slice as {$array, $offset, $length}. mvdan-sh is pinned to the version this reads.
 */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const go = value as GoValue;
  if (Array.isArray(go.$array)) {
    const start = go.$offset as number;
    return (go.$array as unknown[]).slice(start, start + (go.$length as number)).map(plain);
  }
  const type = go.constructor?.string;
  if (type === undefined || go === go.constructor?.nil) return undefined; // a nil interface or pointer
  const node: Record<string, unknown> = { type: type.slice(type.lastIndexOf(".") + 1) };
  for (const key of Object.keys(go)) if (key !== "$val") node[key] = plain(go[key]);
  return node;
}
