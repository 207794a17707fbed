import { argumentRoles } from "./commands.js";
import { parseShell, type ShNode } from "./parser.js";
import { type Substituted, substituteTemplates } from "./substitute.js";

/** A template placed where its value could become shell code, or a script the parser cannot read. */
export interface ScriptProblem {
  /** Offset in the script as written (the template's `${{`). */
  offset: number;
  message: string;
  hint: string;
}

/** Where the words being walked sit: somewhere a quoted value stays one word (no `unsafe`), or why not. */
interface Context {
  unsafe?: string;
}

const SAFE: Context = {};
const FIX = 'write it as a word of its own (recover quotes it), or assign it first (v=${{ … }}) and use "$v"';

/**
 * Parses an `sh` script that holds templates (each a placeholder word) with a real POSIX shell
 * parser. A script it cannot read is refused (where its templates sit is unknown), and so is every
 * template that is not a whole word, or an unquoted part of one, of a command recover's quoting
 * protects: never inside quotes, a here-document, a comment, `${ … }`, `$(( ))`, backticks, a
 * variable or function name, nor an argument that a command runs as code.
 */
export function templatePlacementProblems(script: string): ScriptProblem[] {
  // Without a template there is nothing to protect, and nothing to pay for: the parser is not even loaded.
  if (!script.includes("${{")) return [];
  const sub = substituteTemplates(script);
  if (!sub) return [];
  const parsed = parseShell(sub.text);
  if ("error" in parsed) {
    const error = { ...parsed.error, message: sub.unsubstitute(parsed.error.message) };
    return [syntaxProblem(sub.text, error, sub.original)];
  }
  const walker = new PlacementWalker(sub);
  try {
    walker.stmts(parsed.file.Stmts, SAFE);
    walker.leftovers(parsed.file);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return [{ offset: 0, message: "the script nests too deeply to be checked", hint: "split it into simpler steps" }];
  }
  return walker.problems();
}

function syntaxProblem(
  text: string,
  error: { line: number; byteColumn: number; message: string },
  original: (offset: number) => number,
): ScriptProblem {
  const lineStart =
    text
      .split("\n")
      .slice(0, error.line - 1)
      .join("\n").length + (error.line > 1 ? 1 : 0);
  // The parser counts columns in bytes.
  const lineBytes = Buffer.from(text.slice(lineStart).split("\n")[0] ?? "");
  const column = lineBytes.subarray(0, Math.max(0, error.byteColumn - 1)).toString().length;
  return {
    offset: original(lineStart + column),
    message: `not valid POSIX sh: ${error.message}`,
    hint: "the engine runs the script with sh (POSIX); fix the syntax (shellcheck helps)",
  };
}

class PlacementWalker {
  private readonly verdicts = new Map<number, string | null>(); // null: placed safely

  constructor(private readonly sub: Substituted) {}

  problems(): ScriptProblem[] {
    const out: ScriptProblem[] = [];
    for (const [index, offset] of this.sub.templates.entries()) {
      const verdict = this.verdicts.get(index);
      if (verdict === null) continue;
      const where = verdict ?? "where the shell would not read it as a plain word";
      out.push({ offset, message: `a \${{ }} ${where} is not protected by quoting: its value could become shell code`, hint: FIX });
    }
    return out;
  }

  stmts(list: unknown, ctx: Context): void {
    for (const stmt of (list as ShNode[] | null) ?? []) this.stmt(stmt, ctx);
  }

  private stmt(stmt: ShNode, ctx: Context): void {
    if (stmt.Cmd) this.command(stmt.Cmd as ShNode, ctx);
    for (const redirect of (stmt.Redirs as ShNode[] | null) ?? []) this.redirect(redirect, ctx);
  }

  private command(cmd: ShNode, ctx: Context): void {
    switch (cmd.type) {
      case "CallExpr":
        this.call(cmd, ctx);
        return;
      case "IfClause":
        this.stmts(cmd.Cond, ctx);
        this.stmts(cmd.Then, ctx);
        if (Array.isArray(cmd.Else)) this.stmts(cmd.Else, ctx);
        else if (cmd.Else) this.command(cmd.Else as ShNode, ctx);
        return;
      case "WhileClause":
        this.stmts(cmd.Cond, ctx);
        this.stmts(cmd.Do, ctx);
        return;
      case "ForClause": {
        const loop = cmd.Loop as ShNode;
        if (loop.type === "WordIter") {
          this.everything(loop.Name as ShNode, "as a loop variable name");
          for (const item of (loop.Items as ShNode[] | null) ?? []) this.word(item, ctx);
        } else this.everything(loop, "in arithmetic");
        this.stmts(cmd.Do, ctx);
        return;
      }
      case "CaseClause":
        this.word(cmd.Word as ShNode, ctx);
        for (const item of (cmd.Items as ShNode[] | null) ?? []) {
          for (const pattern of (item.Patterns as ShNode[] | null) ?? []) this.word(pattern, ctx);
          this.stmts(item.Stmts, ctx);
        }
        return;
      case "Block":
      case "Subshell":
        this.stmts(cmd.Stmts, ctx);
        return;
      case "BinaryCmd":
        this.stmt(cmd.X as ShNode, ctx);
        this.stmt(cmd.Y as ShNode, ctx);
        return;
      case "FuncDecl":
        this.everything(cmd.Name as ShNode, "as a function name");
        this.stmt(cmd.Body as ShNode, ctx);
        return;
      default:
        this.everything(cmd, `in ${cmd.type}`);
        return;
    }
  }

  private call(cmd: ShNode, ctx: Context): void {
    for (const assign of (cmd.Assigns as ShNode[] | null) ?? []) {
      this.everything(assign.Name as ShNode, "as a variable name");
      if (assign.Index) this.everything(assign.Index as ShNode, "in an array index");
      if (assign.Array) this.everything(assign.Array as ShNode, "in an array");
      if (assign.Value) this.word(assign.Value as ShNode, ctx);
    }
    const args = (cmd.Args as ShNode[] | null) ?? [];
    const roles = argumentRoles(args.map(literalText));
    for (const [i, arg] of args.entries()) {
      const role = roles[i];
      if (role && "code" in role) this.everything(arg, role.code);
      // A value at the start of the command word could make it an assignment (PATH=…) or a keyword.
      else this.word(arg, ctx, i === 0 ? "command" : role ? "names" : "plain", role && "names" in role ? role.names : undefined);
    }
  }

  private redirect(redirect: ShNode, ctx: Context): void {
    if (redirect.N) this.everything(redirect.N as ShNode, "as a file descriptor number");
    if (redirect.Hdoc) {
      this.everything(redirect.Word as ShNode, "as a here-document delimiter");
      this.everything(redirect.Hdoc as ShNode, "in a here-document");
      return;
    }
    if (redirect.Word) this.word(redirect.Word as ShNode, ctx);
  }

  private word(word: ShNode, ctx: Context, position: "plain" | "command" | "names" = "plain", namesWhy?: string): void {
    let before = ""; // the word's literal text before the current part, for the command-word and names rules
    for (const part of (word.Parts as ShNode[] | null) ?? []) {
      const type = part.type;
      if (type === "Lit") {
        const value = part.Value as string;
        for (const { index, at } of this.sub.find(value)) {
          const prefix = before + value.slice(0, at);
          if (ctx.unsafe) this.verdict(index, ctx.unsafe);
          else if (prefix.endsWith("\\")) this.verdict(index, "right after a backslash");
          else if (position === "command" && /^[A-Za-z0-9_]*$/.test(prefix))
            this.verdict(index, "at the start of a command name (a value such as PATH=… or `if` changes the command)");
          else if (position === "names" && !prefix.includes("=")) this.verdict(index, namesWhy ?? "where a variable name is expected");
          else this.verdict(index, null);
        }
        before += value;
        continue;
      }
      this.part(part, type, ctx);
      before += "\u0000"; // quoted or expanded text: neither a name nor a keyword any more
    }
  }

  private part(part: ShNode, type: string, ctx: Context): void {
    switch (type) {
      case "SglQuoted":
        this.everything(part, "inside '…'");
        return;
      case "DblQuoted":
        for (const inner of (part.Parts as ShNode[] | null) ?? []) {
          const innerType = inner.type;
          const quoted = { unsafe: ctx.unsafe ?? 'inside "…"' };
          if (innerType === "Lit") this.word({ type: "Word", Parts: [inner] }, quoted);
          else this.part(inner, innerType, quoted);
        }
        return;
      case "CmdSubst":
        // $( … ) holds commands of their own, parsed afresh: even inside "…" their words are words again.
        if (part.Backquotes) this.everything(part, "inside backticks");
        else this.stmts(part.Stmts, SAFE);
        return;
      case "ParamExp":
        this.everything(part, "inside a parameter expansion ($… or ${…})");
        return;
      case "ArithmExp":
        this.everything(part, "inside $(( ))");
        return;
      default:
        this.everything(part, `in ${type}`);
        return;
    }
  }

  /** Every placeholder anywhere below `node` is misplaced for `reason` (unless already judged). */
  everything(node: unknown, reason: string): void {
    forEachText(node, (text) => {
      for (const { index } of this.sub.find(text)) this.verdict(index, reason);
    });
  }

  /** Judges what the walk did not reach: templates in comments, and any the walk does not know. */
  leftovers(file: ShNode): void {
    if (this.sub.templates.every((_, index) => this.verdicts.has(index))) return;
    forEachText(file, (text, node) => {
      if (node.type === "Comment") for (const { index } of this.sub.find(text)) this.verdict(index, "in a comment");
    });
  }

  private verdict(index: number, reason: string | null): void {
    if (!this.verdicts.has(index)) this.verdicts.set(index, reason);
  }
}

/** Calls `visit` with the text of every Lit, single-quoted string and comment below `node`. */
function forEachText(node: unknown, visit: (text: string, node: ShNode) => void): void {
  if (Array.isArray(node)) {
    for (const child of node) forEachText(child, visit);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as ShNode;
  const text = n.type === "Lit" || n.type === "SglQuoted" ? n.Value : n.type === "Comment" ? n.Text : undefined;
  if (typeof text === "string") visit(text, n);
  for (const [key, child] of Object.entries(n)) if (key !== "type" && child && typeof child === "object") forEachText(child, visit);
}

/** The text of a word made only of literal parts, else undefined. */
function literalText(word: ShNode): string | undefined {
  const parts = (word.Parts as ShNode[] | null) ?? [];
  if (!parts.every((p) => p.type === "Lit")) return undefined;
  return parts.map((p) => p.Value as string).join("");
}
