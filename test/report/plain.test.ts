import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/plan/types.js";
import { plainRenderer } from "../../src/report/plain.js";

const plan = {
  apiVersion: "recover/v1",
  kind: "Plan",
  runbook: { name: "t", file: "t.yaml", summary: "" },
  params: {},
  targets: {},
  stages: [],
} as unknown as Plan;

describe("plain renderer", () => {
  it("shows control characters a host printed instead of letting the terminal act on them", () => {
    let written = "";
    const render = plainRenderer(plan, (text) => {
      written += text;
    });
    render({ type: "output", step: "a", stream: "stdout", text: "safe\r\u001b[2Kharmless\n" });
    render({ type: "notice", message: "bell\u0007" });
    expect(written).toContain("safe\\r\\e[2Kharmless");
    expect(written).toContain("bell\\x07");
    for (const control of ["\r", "\u001b", "\u0007"]) expect(written).not.toContain(control);
  });
});
