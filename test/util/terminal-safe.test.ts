import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../../src/source/diagnostics.js";
import { terminalSafe } from "../../src/util/terminal-safe.js";

describe("terminalSafe", () => {
  it("shows every control character as a visible escape", () => {
    expect(terminalSafe("ok\r\u001b[2Krm -rf /")).toBe("ok\\r\\e[2Krm -rf /");
    expect(terminalSafe("a\u0000b\u0007c\u007fd\u009be")).toBe("a\\0b\\x07c\\x7fd\\x9be");
    expect(terminalSafe("evil\u202eexe.txt\u2066")).toBe("evil\\u{202e}exe.txt\\u{2066}");
  });

  it("escapes newlines unless told to keep them; tabs and text stay", () => {
    expect(terminalSafe("a\nb\tc ünï ✓")).toBe("a\\nb\tc ünï ✓");
    expect(terminalSafe("a\nb\r\n", true)).toBe("a\nb\\r\n");
  });
});

describe("errors", () => {
  it("never send a value's control characters to the terminal, and keep the caret under its character", () => {
    const shown = formatDiagnostic({
      path: "stages[0]",
      message: "bad \u001b]0;title\u0007 value",
      hint: "fix\r it",
      position: { file: "x\u001b.yaml", line: 3, column: 8 },
      sourceLine: "a: \u001b[2Kb: c",
    });
    expect(terminalSafe(shown, true), "no control character is left").toBe(shown);
    expect(shown).toContain("x\\e.yaml:3:8: error: stages[0]: bad \\e]0;title\\x07 value");
    const [, line, caret] = shown.split("\n");
    expect(line).toBe("    3 | a: \\e[2Kb: c");
    // Column 8 is the "b" after the escape sequence, which is shown one character wider.
    expect(caret?.indexOf("^")).toBe(line?.indexOf("b: c"));
  });
});
