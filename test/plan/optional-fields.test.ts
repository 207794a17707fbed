import { describe, expect, it } from "vitest";
import type { ValidationError } from "../../src/source/validation-error.js";
import { inventoryFrom, planFrom } from "../helpers/plan.js";

const inventory = inventoryFrom(`apiVersion: recover/v1
kind: Inventory
cluster: {name: lab}
nodes:
  k3s1: {ssh: {host: k3s1}}
  k3s2: {ssh: {host: k3s2, user: admin}}
`);

const runbook = (expression: string) => `apiVersion: recover/v1
kind: Runbook
metadata: {name: t}
summary: test
params:
  node: {type: string, positional: true}
stages:
  - id: s
    steps:
      - {id: a, local: [echo, "\${{ ${expression} }}"]}
`;

describe("optional inventory fields", () => {
  it("default with .?field.orValue(…)", () => {
    const expr = "inventory.nodes[params.node].ssh.?user.orValue('root')";
    const argv = (node: string) => planFrom(runbook(expr), { positional: [node] }, { inventory }).stages[0]?.steps[0]?.action;
    expect(argv("k3s1")).toEqual({ kind: "local", argv: ["echo", "root"] });
    expect(argv("k3s2")).toEqual({ kind: "local", argv: ["echo", "admin"] });
  });

  it("read without a default, an unset one is an error whose hint says how to default it", () => {
    try {
      planFrom(runbook("inventory.nodes[params.node].ssh.user"), { positional: ["k3s1"] }, { inventory });
      expect.unreachable();
    } catch (error) {
      const [d] = (error as ValidationError).diagnostics;
      expect(d?.message).toContain("No such key: user");
      expect(d?.hint).toContain(".?user.orValue(DEFAULT)");
    }
  });
});
