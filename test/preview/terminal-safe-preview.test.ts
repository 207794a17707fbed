import { describe, expect, it } from "vitest";
import { renderMermaid } from "../../src/preview/graph.js";
import { renderText } from "../../src/preview/text.js";
import { terminalSafe } from "../../src/util/terminal-safe.js";
import { HEADER, planFrom } from "../helpers/plan.js";

// A value that would erase the line and show a harmless command over the real one.
const VALUE = "/mnt/a\r\u001b[2K\u001b[1Aecho harmless";
const RUNBOOK = `${HEADER}  v: {type: string}
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

/** The preview's own colour codes (bold, dim, red, yellow, cyan, reset) taken out; any other escape stays. */
function withoutOwnColors(text: string): string {
  const [first, ...rest] = text.split("\u001b[");
  return first + rest.map((p) => (/^(0|1|2|31|33|36)m/.test(p) ? p.replace(/^\d+m/, "") : `\u001b[${p}`)).join("");
}

describe("the dry-run", () => {
  it("shows control characters from values escaped, in every field", () => {
    const plan = planFrom(RUNBOOK, { positional: ["k3s1"], named: { v: VALUE } });
    const colored = withoutOwnColors(renderText(plan, { color: true }));
    for (const text of [renderText(plan), colored, renderMermaid(plan)]) {
      expect(terminalSafe(text, true), "no control character is left").toBe(text);
      expect(text).toContain("/mnt/a\\r\\e[2K\\e[1Aecho harmless");
    }
    // The plan itself keeps the real value: only what is shown is escaped.
    expect(plan.stages[0]?.steps[0]?.action).toEqual({ kind: "sh", script: `umount -- '${VALUE}'` });
  });
});
