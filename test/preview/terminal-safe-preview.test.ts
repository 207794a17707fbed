import { describe, expect, it } from "vitest";
import { renderMermaid } from "../../src/preview/graph.js";
import { renderText } from "../../src/preview/text.js";
import { planFrom } from "../helpers/plan.js";

// A value that would erase the line and show a harmless command over the real one.
const VALUE = "/mnt/a\r\u001b[2K\u001b[1Aecho harmless";
const RUNBOOK = `apiVersion: recover/v1
kind: Runbook
metadata: {name: t}
summary: test
targets:
  host: {ssh: {host: k3s1}}
  cluster: {kubectl: {}}
params:
  v: {type: string}
stages:
  - id: one
    title: "Disks of \${{ params.v }}"
    checkpoint: false
    steps:
      - id: s
        title: "Unmount \${{ params.v }}"
        sh: umount -- \${{ params.v }}
      - id: k
        kubectl: [get, "\${{ params.v }}"]
      - id: p
        prompt: "check \${{ params.v }}"
`;

describe("the dry-run", () => {
  it("shows control characters from values escaped, in every field", () => {
    const plan = planFrom(RUNBOOK, { named: { v: VALUE } });
    const colored = renderText(plan, { color: true }).replace(/\u001b\[\d+m/g, "");
    for (const text of [renderText(plan), colored, renderMermaid(plan)]) {
      expect(text).not.toMatch(/[\r\u0000\u0007\u001b\u007f]/);
      expect(text).toContain("/mnt/a\\r\\e[2K\\e[1Aecho harmless");
    }
    // The plan itself keeps the real value: only what is shown is escaped.
    expect(plan.stages[0]?.steps[0]?.action).toEqual({ kind: "sh", script: `umount -- '${VALUE}'` });
  });
});
