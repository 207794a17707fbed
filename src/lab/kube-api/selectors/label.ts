/**
 * Label selectors as the real API server parses them (k8s.io/apimachinery labels package), with
 * its error messages, returned as 400 BadRequest.
 */

import { badRequest } from "../status.js";

// ---- label selector lexer (labels/selector.go) ----

type Token =
  | "end"
  | "closedPar"
  | "comma"
  | "doesNotExist"
  | "doubleEquals"
  | "equals"
  | "greaterThan"
  | "identifier"
  | "in"
  | "lessThan"
  | "notEquals"
  | "notIn"
  | "openPar";

const LITERALS: Record<string, Token> = {
  ")": "closedPar",
  ",": "comma",
  "!": "doesNotExist",
  "==": "doubleEquals",
  "=": "equals",
  ">": "greaterThan",
  in: "in",
  "<": "lessThan",
  "!=": "notEquals",
  notin: "notIn",
  "(": "openPar",
};

interface Item {
  token: Token;
  literal: string;
}

const isWhitespace = (ch: string): boolean => ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
const isSpecial = (ch: string): boolean => "=!(),><".includes(ch);

function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && isWhitespace(input[pos] as string)) pos++;
    if (pos >= input.length) {
      items.push({ token: "end", literal: "" });
      return items;
    }
    const start = pos;
    if (isSpecial(input[pos] as string)) {
      // Longest run of symbols that is still an operator ("!=" rather than "!"); one symbol always is.
      let length = 1;
      while (start + length < input.length && LITERALS[input.slice(start, start + length + 1)]) length++;
      const literal = input.slice(start, start + length);
      items.push({ token: LITERALS[literal] as Token, literal });
      pos = start + length;
      continue;
    }
    while (pos < input.length && !isSpecial(input[pos] as string) && !isWhitespace(input[pos] as string)) pos++;
    const word = input.slice(start, pos);
    items.push({ token: LITERALS[word] ?? "identifier", literal: word });
  }
}

// ---- validation messages (util/validation) ----

const QUALIFIED_NAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const DNS1123_SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const LABEL_VALUE = `(${QUALIFIED_NAME})?`;

const regexError = (message: string, format: string, ...examples: string[]): string =>
  `${message} (e.g. ${examples.map((e) => `'${e}'`).join(",  or ")}, regex used for validation is '${format}')`;

/** Why `key` is not a valid label key (qualified name with an optional DNS subdomain prefix); empty when it is. */
export function labelKeyErrors(key: string): string[] {
  const errors: string[] = [];
  const parts = key.split("/");
  let name = key;
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    name = rest;
    if (!prefix) errors.push("prefix part must be non-empty");
    else {
      if (prefix.length > 253) errors.push("prefix part must be no more than 253 characters");
      if (!new RegExp(`^${DNS1123_SUBDOMAIN}$`).test(prefix))
        errors.push(
          `prefix part ${regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", DNS1123_SUBDOMAIN, "example.com")}`,
        );
    }
  } else if (parts.length > 2) {
    return [
      `a qualified name ${regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME, "MyName", "my.name", "123-abc")} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (!name) errors.push("name part must be non-empty");
  else if (name.length > 63) errors.push("name part must be no more than 63 characters");
  if (!new RegExp(`^${QUALIFIED_NAME}$`).test(name))
    errors.push(
      `name part ${regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", QUALIFIED_NAME, "MyName", "my.name", "123-abc")}`,
    );
  return errors;
}

/** Why `value` is not a valid label value; empty when it is. */
export function labelValueErrors(value: string): string[] {
  const errors: string[] = [];
  if (value.length > 63) errors.push("must be no more than 63 characters");
  if (!new RegExp(`^${LABEL_VALUE}$`).test(value))
    errors.push(
      regexError(
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
        LABEL_VALUE,
        "MyValue",
        "my_value",
        "12345",
      ),
    );
  return errors;
}

/** A field.Invalid error as Go prints it; the selector parser has no field path, hence `<nil>`. */
const invalid = (field: string, value: string, errors: string[]): string =>
  `${field}: Invalid value: ${JSON.stringify(value)}: ${errors.join("; ")}`;

// ---- label selector parser ----

type Operator = "in" | "notin" | "=" | "==" | "!=" | "exists" | "!" | "gt" | "lt";

interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

class SelectorError extends Error {}

class LabelParser {
  private position = 0;

  constructor(private readonly items: Item[]) {}

  /** `in`/`notin` are plain words where a value is expected. */
  private look(values: boolean): Item {
    const item = this.items[this.position] as Item;
    return values && (item.token === "in" || item.token === "notIn") ? { token: "identifier", literal: item.literal } : item;
  }

  private next(values: boolean): Item {
    const item = this.look(values);
    this.position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { token, literal } = this.look(true);
      if (token === "end") return requirements;
      if (token !== "identifier" && token !== "doesNotExist")
        throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      try {
        requirements.push(this.requirement());
      } catch (error) {
        if (error instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${error.message}`);
        throw error;
      }
      const after = this.next(true);
      if (after.token === "end") return requirements;
      if (after.token !== "comma") throw new SelectorError(`found '${after.literal}', expected: ',' or 'end of string'`);
      const following = this.look(true);
      if (following.token !== "identifier" && following.token !== "doesNotExist")
        throw new SelectorError(`found '${following.literal}', expected: identifier after ','`);
    }
  }

  private requirement(): Requirement {
    let operator: Operator | undefined;
    let item = this.next(true);
    if (item.token === "doesNotExist") {
      operator = "!";
      item = this.next(true);
    }
    if (item.token !== "identifier") throw new SelectorError(`found '${item.literal}', expected: identifier`);
    const key = item.literal;
    const keyErrors = labelKeyErrors(key);
    if (keyErrors.length) throw new SelectorError(invalid("<nil>", key, keyErrors));
    const ahead = this.look(true).token;
    if (operator === "!" || ahead === "end" || ahead === "comma") return { key, operator: operator ?? "exists", values: [] };
    const op = this.operator();
    const values = op === "in" || op === "notin" ? this.setValues() : [this.exactValue()];
    return this.validated({ key, operator: op, values: [...new Set(values)].sort() });
  }

  private operator(): Operator {
    const { token, literal } = this.next(false);
    const operators: Partial<Record<Token, Operator>> = {
      in: "in",
      equals: "=",
      doubleEquals: "==",
      greaterThan: "gt",
      lessThan: "lt",
      notIn: "notin",
      notEquals: "!=",
    };
    const op = operators[token];
    if (!op) throw new SelectorError(`found '${literal}', expected: in, notin, =, ==, !=, gt, lt`);
    return op;
  }

  private setValues(): string[] {
    const open = this.next(true);
    if (open.token !== "openPar") throw new SelectorError(`found '${open.literal}' expected: '('`);
    const { token, literal } = this.look(true);
    if (token === "closedPar") {
      this.next(true);
      return [""];
    }
    if (token !== "identifier" && token !== "comma") throw new SelectorError(`found '${literal}', expected: ',', ')' or identifier`);
    const values = this.identifierList();
    if (this.next(true).token !== "closedPar") throw new SelectorError(`found '${literal}', expected: ')'`);
    return values;
  }

  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { token, literal } = this.next(true);
      if (token === "identifier") {
        values.push(literal);
        const ahead = this.look(true);
        if (ahead.token === "comma") continue;
        if (ahead.token === "closedPar") return values;
        throw new SelectorError(`found '${ahead.literal}', expected: ',' or ')'`);
      }
      if (token !== "comma") throw new SelectorError(`found '${literal}', expected: ',', or identifier`);
      // An empty value between commas, or before ")" or after "(", is the empty string.
      if (values.length === 0) values.push("");
      const ahead = this.look(true).token;
      if (ahead === "closedPar") {
        values.push("");
        return values;
      }
      if (ahead === "comma") values.push("");
    }
  }

  private exactValue(): string {
    const ahead = this.look(true).token;
    if (ahead === "end" || ahead === "comma") return "";
    const { token, literal } = this.next(true);
    if (token === "identifier") return literal;
    throw new SelectorError(`found '${literal}', expected: identifier`);
  }

  private validated(requirement: Requirement): Requirement {
    const errors: string[] = [];
    const { key, operator, values } = requirement;
    if ((operator === "gt" || operator === "lt") && values.length === 1 && !/^[+-]?\d+$/.test(values[0] as string))
      errors.push(invalid("values[0]", values[0] as string, ["for 'Gt', 'Lt' operators, the value must be an integer"]));
    values.forEach((value, i) => {
      const valueErrors = labelValueErrors(value);
      if (valueErrors.length) errors.push(invalid(`values[${i}][${key}]`, value, valueErrors));
    });
    if (errors.length === 1) throw new SelectorError(errors[0]);
    if (errors.length > 1) throw new SelectorError(`[${errors.join(", ")}]`);
    return requirement;
  }
}

function matches(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.operator) {
    case "in":
    case "=":
    case "==":
      return has && requirement.values.includes(value as string);
    case "notin":
    case "!=":
      return !has || !requirement.values.includes(value as string);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || !/^[+-]?\d+$/.test(value as string)) return false;
      const actual = BigInt(value as string);
      const bound = BigInt(requirement.values[0] as string);
      return requirement.operator === "gt" ? actual > bound : actual < bound;
    }
  }
}

/**
 * Parses a label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`,
 * `a<1`; comma = AND) into a predicate. Syntax errors are 400 BadRequest with the real message
 * (`unable to parse requirement: …`). "" matches everything.
 */
export function parseLabelSelector(selector: string): (labels: Record<string, string> | undefined) => boolean {
  let requirements: Requirement[];
  try {
    requirements = new LabelParser(lex(selector)).parse();
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
  return (labels) => requirements.every((r) => matches(r, labels ?? {}));
}

// ---- field selectors (fields/selector.go) ----
