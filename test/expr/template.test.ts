import { describe, expect, it } from "vitest";
import { parseTemplate, stringify } from "../../src/expr/template.js";

describe("parseTemplate", () => {
  it("splits text and expressions with offsets", () => {
    const { parts, error } = parseTemplate("a ${{ params.x }} b${{y}}");
    expect(error).toBeUndefined();
    expect(parts).toEqual([{ text: "a " }, { expression: "params.x", offset: 6 }, { text: " b" }, { expression: "y", offset: 22 }]);
  });

  it("reports an unclosed template where it opens", () => {
    expect(parseTemplate("x ${{ y").error).toEqual({ message: "`${{` is never closed with `}}`", offset: 2 });
    expect(parseTemplate("${{ }}").error?.message).toBe("empty `${{ }}` expression");
  });

  it("stringifies values for interpolation", () => {
    expect([stringify("s"), stringify(3), stringify(true), stringify(null), stringify(["a"])]).toEqual(["s", "3", "true", "", '["a"]']);
  });
});
