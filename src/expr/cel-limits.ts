/** An expression refused before CEL sees it: what is wrong and where (0-based offset). */
export interface ComplexityProblem {
  message: string;
  offset: number;
}

/** Brackets and prefix operators (`!`, unary `-`) nested inside each other; the CEL library stops brackets at 250. */
export const MAX_CEL_NESTING = 100;
/** Binary operators in one expression: each adds a level to the trees the checker and evaluator recurse over. */
export const MAX_CEL_OPERATORS = 1000;

const OPENERS = new Set(["(", "[", "{"]);
const CLOSERS = new Set([")", "]", "}"]);
// Where a `-` is a sign, not a subtraction: after nothing, an operator or an opening bracket.
const BEFORE_PREFIX = /[([{,?:!&|=<>+\-*/%]$/;

/**
 * Refuses an expression nested or chained past what the CEL library can walk without running
 * out of stack (20,000 `!` did), pointing at where the limit is passed. Only counts: string
 * literals are skipped, nothing is evaluated.
 */
export function celComplexityProblem(expression: string): ComplexityProblem | undefined {
  let brackets = 0;
  let prefixRun = 0;
  let operators = 0;
  let previous = ""; // the last significant character, for telling a sign from a subtraction
  for (let i = 0; i < expression.length; i++) {
    const ch = expression[i] as string;
    if (ch === " " || ch === "\t" || ch === "\n" || ch === "\r") continue;
    if (ch === '"' || ch === "'") {
      i = endOfString(expression, i) - 1;
      previous = ch;
      prefixRun = 0;
      continue;
    }
    const isPrefix = (ch === "!" && expression[i + 1] !== "=") || (ch === "-" && (previous === "" || BEFORE_PREFIX.test(previous)));
    prefixRun = isPrefix ? prefixRun + 1 : 0;
    if (OPENERS.has(ch)) brackets++;
    if (CLOSERS.has(ch)) brackets = Math.max(0, brackets - 1);
    if (brackets + prefixRun > MAX_CEL_NESTING)
      return { message: `the expression nests more than ${MAX_CEL_NESTING} levels deep`, offset: i };
    if (!isPrefix && "+-*/%<>=!&|?".includes(ch) && !"=&|".includes(expression[i - 1] ?? "")) {
      operators++;
      if (operators > MAX_CEL_OPERATORS) return { message: `the expression has more than ${MAX_CEL_OPERATORS} operators`, offset: i };
    }
    previous = ch;
  }
  return undefined;
}

/** Index just past the string literal opening at `start` (single, double or triple quotes; backslash escapes). */
function endOfString(text: string, start: number): number {
  const quote = text[start] as string;
  const triple = text.startsWith(quote.repeat(3), start);
  const close = triple ? quote.repeat(3) : quote;
  const raw = /[rR]/.test(text[start - 1] ?? "");
  let i = start + close.length;
  while (i < text.length) {
    if (!raw && text[i] === "\\") {
      i += 2;
      continue;
    }
    if (text.startsWith(close, i)) return i + close.length;
    i++;
  }
  return text.length;
}
