import { describe, expect, it } from "vitest";
import { mergePatch } from "../../../../src/lab/kube-api/patch/index.js";
import { deepFreeze } from "../../../../src/lab/kube-api/patch/json-value.js";

// RFC 7386 Appendix A, every example.
const RFC_7386: [unknown, unknown, unknown][] = [
  [{ a: "b" }, { a: "c" }, { a: "c" }],
  [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
  [{ a: "b" }, { a: null }, {}],
  [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
  [{ a: ["b"] }, { a: "c" }, { a: "c" }],
  [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
  [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
  [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
  [
    ["a", "b"],
    ["c", "d"],
    ["c", "d"],
  ],
  [{ a: "b" }, ["c"], ["c"]],
  [{ a: "foo" }, null, null],
  [{ a: "foo" }, "bar", "bar"],
  [{ e: null }, { a: 1 }, { e: null, a: 1 }],
  [[1, 2], { a: "b", c: null }, { a: "b" }],
  [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
];

describe("mergePatch (RFC 7386)", () => {
  it.each(RFC_7386)("%j + %j", (target, patch, expected) => {
    expect(mergePatch(deepFreeze(target), deepFreeze(patch))).toEqual(expected);
  });

  it("removes labels with null and adds others, as kubectl label does", () => {
    const node = { metadata: { name: "k3s1", labels: { a: "1", b: "2" } }, spec: { unschedulable: true } };
    expect(mergePatch(deepFreeze(node), { metadata: { labels: { a: null, c: "3" } } })).toEqual({
      metadata: { name: "k3s1", labels: { b: "2", c: "3" } },
      spec: { unschedulable: true },
    });
  });

  it("returns a result that shares nothing with its inputs", () => {
    const target = { keep: { deep: [1] }, change: { x: 1 } };
    const patch = { add: { y: [2] } };
    const result = mergePatch(target, patch) as { keep: { deep: number[] }; add: { y: number[] } };
    result.keep.deep.push(9);
    result.add.y.push(9);
    expect(target.keep.deep).toEqual([1]);
    expect(patch.add.y).toEqual([2]);
  });
});
