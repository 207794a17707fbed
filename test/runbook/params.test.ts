import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { bindParams } from "../../src/runbook/params.js";
import { runbookFrom } from "../helpers/plan.js";

const runbook = runbookFrom(`apiVersion: recover/v1
kind: Runbook
metadata: {name: p}
summary: params
params:
  node: {type: string, positional: true, pattern: "[a-z0-9-]+"}
  disks: {type: list, enum: [sdf1, sdg1, sdh1], default: [sdf1]}
  retries: {type: int, default: 3}
  pin: {type: int, secret: true, default: 0}
stages:
  - id: s
    steps:
      - {id: a, local: ["true"]}
`).spec;

const bind = (positional: string[], named: Record<string, string | string[]> = {}, env: Record<string, string> = {}) =>
  bindParams(runbook, { positional, named }, env);

describe("bindParams", () => {
  it("takes positional words in order, --param pairs, and defaults", () => {
    expect(bind(["k3s1"], { disks: "sdg1,sdh1", retries: "5" })).toEqual({ node: "k3s1", disks: ["sdg1", "sdh1"], retries: 5, pin: 0 });
  });

  it("checks every list item against the enum", () => {
    expect(() => bind(["k3s1"], { disks: ["sdf1", "sdz9"] })).toThrow('param disks: "sdz9" is not one of "sdf1", "sdg1", "sdh1"');
  });

  it("never repeats a secret value in an error", () => {
    const attempt = () => bind(["k3s1"], { pin: "hunter2" });
    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow("param pin: the secret value is not an integer");
    try {
      attempt();
    } catch (error) {
      expect(`${(error as InputError).message} ${(error as InputError).hint}`).not.toContain("hunter2");
    }
  });

  it("reads a secret from RECOVER_PARAM_<NAME> in the environment it is given, when not given otherwise", () => {
    expect(bind(["k3s1"], {}, { RECOVER_PARAM_PIN: "1234" }).pin).toBe(1234);
    expect(bind(["k3s1"]).pin).toBe(0);
  });

  it("refuses shell metacharacters the pattern forbids, before anything runs", () => {
    expect(() => bind(["k3s1; rm -rf /"])).toThrow('param node: "k3s1; rm -rf /" does not match pattern [a-z0-9-]+');
  });
});

describe("param names and values from hostile input", () => {
  const named = runbookFrom(`apiVersion: recover/v1
kind: Runbook
metadata: {name: names}
summary: params named like inherited properties
params:
  toString: {type: string}
  constructor: {type: string, default: c}
  n: {type: int, default: 1}
stages:
  - id: s
    steps:
      - {id: a, local: ["true"]}
`).spec;
  const bindNamed = (values: Record<string, string>) => bindParams(named, { positional: [], named: values });

  it("binds toString and constructor like any other name", () => {
    expect({ ...bindNamed({ toString: "t" }) }).toEqual({ toString: "t", constructor: "c", n: 1 });
    expect({ ...bindNamed({ toString: "t", constructor: "x" }) }).toEqual({ toString: "t", constructor: "x", n: 1 });
    expect(() => bindNamed({})).toThrow("missing param toString for names");
  });

  it("refuses names that are only inherited", () => {
    for (const name of ["hasOwnProperty", "__proto__", "valueOf"]) {
      expect(() => bindNamed({ toString: "t", [name]: "x" })).toThrow(`runbook names has no param "${name}"`);
    }
  });

  it("refuses integers outside the exact range and values that were not UTF-8", () => {
    expect(() => bindNamed({ toString: "t", n: "99999999999999999999" })).toThrow(
      'param n: "99999999999999999999" is outside the range of exact integers (±9007199254740991)',
    );
    expect(() => bindNamed({ toString: "t", n: "-9007199254740992" })).toThrow("outside the range of exact integers");
    expect(bindNamed({ toString: "t", n: "-9007199254740991" }).n).toBe(-9007199254740991);
    expect(() => bindNamed({ toString: "caf\uFFFD" })).toThrow(
      "param toString: the value holds bytes that are not UTF-8 (shown as U+FFFD)",
    );
  });
});
