import { createRequire } from "node:module";

/** A node of mvdan/sh's syntax tree (mvdan-sh: the Go parser compiled to JavaScript); fields as in the Go package `syntax`. */
export interface ShNode {
  readonly [field: string]: unknown;
}

interface Syntax {
  NewParser(...options: unknown[]): { Parse(text: string, name: string): ShNode };
  KeepComments(on: boolean): unknown;
  Variant(lang: unknown): unknown;
  LangPOSIX: unknown;
  NodeType(node: ShNode): string;
  Walk(node: ShNode, visit: (node: ShNode | null) => boolean): void;
}

let syntax: Syntax | undefined;

/**
 * mvdan-sh, loaded on first use: 1.5 MB of JavaScript that only validating an `sh` script needs
 * (about 35 ms with the compile cache bin/recover.js enables), so other commands never pay for it.
 */
export function shellSyntax(): Syntax {
  syntax ??= (createRequire(import.meta.url)("mvdan-sh") as { syntax: Syntax }).syntax;
  return syntax;
}

export type ShellParse = { file: ShNode } | { error: { line: number; byteColumn: number; message: string } };

/** Parses a script as POSIX sh (what the engine runs it with), comments kept. */
export function parseShell(script: string): ShellParse {
  const sh = shellSyntax();
  try {
    return { file: sh.NewParser(sh.KeepComments(true), sh.Variant(sh.LangPOSIX)).Parse(script, "script") };
  } catch (error) {
    if (error instanceof RangeError) return { error: { line: 1, byteColumn: 1, message: "the script nests too deeply to be read" } };
    const text = String((error as { Error?: () => string }).Error?.() ?? (error as Error).message);
    const m = /^[^:]*:(\d+):(\d+): ([\s\S]*)$/.exec(text);
    if (!m) return { error: { line: 1, byteColumn: 1, message: text } };
    return { error: { line: Number(m[1]), byteColumn: Number(m[2]), message: m[3] as string } };
  }
}
