import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { shellQuote } from "../../src/util/shell-quote.js";

const HOSTILE = [
  "",
  "plain",
  "with space",
  "it's",
  "'",
  "''",
  '"double"',
  "$(touch /tmp/recover-pwned)",
  "`id`",
  "a;b",
  "a|b&c",
  "$HOME",
  "x\ny",
  "\\",
  "*",
  "-rf",
  "~root",
  "ünïcode ✓",
  "\t",
];

describe("shellQuote", () => {
  it("makes every value exactly one word for a real /bin/sh", () => {
    for (const value of HOSTILE) {
      const script = `printf '%s\\0' ${shellQuote(value)}`;
      const out = spawnSync("/bin/sh", ["-c", script], { encoding: "utf8" });
      expect(out.status).toBe(0);
      expect(out.stdout).toBe(`${value}\0`);
    }
  });

  it("leaves safe words readable", () => {
    expect(shellQuote("/dev/disk/by-id/ata-WDC_1-part1")).toBe("/dev/disk/by-id/ata-WDC_1-part1");
    expect(shellQuote("a b")).toBe("'a b'");
  });
});
