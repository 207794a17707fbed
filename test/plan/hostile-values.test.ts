import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/source/validation-error.js";
import { HEADER, inventoryFrom, planFrom } from "../helpers/plan.js";

const runbook = (params: string, steps: string) => `${HEADER}${params}
stages:
  - id: one
    steps:
${steps}`;

/** Plans for node k3s1 (HEADER's positional param) with these named params. */
const planOf = (text: string, named: Record<string, string> = {}) => planFrom(text, { positional: ["k3s1"], named });

const planError = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.diagnostics.map((d) => d.message).join("\n");
    throw error;
  }
  throw new Error("planned without an error");
};

describe("values resolved when planning", () => {
  it("may not assemble a template side by side, in any text", () => {
    const text = runbook(
      "  a: {type: string}\n  b: {type: string}\n  token: {type: string, secret: true, default: s}",
      `      - id: k
        title: "\${{ params.a }}\${{ params.b }}"
        kubectl: [get, "\${{ params.a }}\${{ params.b }}"]
`,
    );
    const message = planError(() => planOf(text, { a: "$", b: "{{ params.token }}" }));
    expect(message).toContain('the values put together here make "${{", which recover reserves for expressions: "${{ params.token }}"');
  });

  it("may not smuggle a template into an edit through a typed value", () => {
    const text = runbook(
      "  a: {type: string}",
      `      - id: e
        edit:
          file: x.yaml
          set:
            spec.x: \${{ params.a }}
            spec.y: \${{ [params.a] }}
`,
    );
    const message = planError(() => planOf(text, { a: "${{ params.token }}" }));
    expect(message).toContain('value contains "${{", which recover reserves for expressions');
  });

  it("may not hold a NUL, nor an integer a number cannot hold exactly", () => {
    const text = runbook(
      "  n: {type: int, default: 9007199254740991}",
      `      - id: nul
        sh: echo \${{ "a\\x00b" }}
      - id: big
        prompt: "\${{ params.n * 1000 }}"
`,
    );
    const message = planError(() => planOf(text));
    expect(message).toContain("value contains a NUL character");
    expect(message).toContain("the integer 9007199254740991000 is outside the range held exactly");
  });

  it("are refused when one command-line argument could not hold them (E2BIG)", () => {
    const text = runbook(
      "  big: {type: string}",
      `      - id: k
        kubectl: [apply, -f, "\${{ params.big }}"]
      - id: s
        sh: printf %s \${{ params.big }}
`,
    );
    const message = planError(() => planOf(text, { big: "x".repeat(130 * 1024) }));
    expect(message).toContain("this argument is 130 KiB once quoted, and one command-line argument holds less than 128 KiB");
    expect(message).toContain("the script is 131 KiB once quoted");
    // A value far from the limit plans.
    expect(() => planOf(text, { big: "x".repeat(60 * 1024) })).not.toThrow();
  });
});

describe("user keys named like JavaScript's own properties", () => {
  it("are keys like any other: params, inventory nodes and CEL maps", () => {
    const inventory = inventoryFrom(`apiVersion: recover/v1
kind: Inventory
cluster: {name: lab}
nodes:
  constructor: {ssh: {host: h1}, labels: {toString: "yes"}}
  tostring: {ssh: {host: h2}}
`);
    const text = `apiVersion: recover/v1
kind: Runbook
metadata: {name: t}
summary: test
params:
  node: {type: string, positional: true, in: inventory.nodes}
  toString: {type: string, default: ts}
  constructor: {type: string, default: ctor}
targets:
  host: {ssh: {host: "\${{ inventory.nodes[params.node].ssh.host }}"}}
stages:
  - id: one
    checkpoint: false
    steps:
      - id: s
        foreach: inventory.nodes[params.node].labels
        sh: echo \${{ params.toString }} \${{ params.constructor }} \${{ item.key }}=\${{ item.value }}
`;
    const plan = planFrom(text, { positional: ["constructor"] }, { inventory });
    expect(plan.targets.host).toMatchObject({ kind: "ssh", host: "h1" });
    expect(plan.params).toEqual({ node: "constructor", toString: "ts", constructor: "ctor" });
    expect(plan.stages[0]?.steps.map((s) => s.action)).toEqual([{ kind: "sh", script: "echo ts ctor toString=yes" }]);
  });
});
