import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers/cli.js";

// The invalid-input corpus: every file fixtures/invalid/<NN>-<slug>.yaml is one case, run through
// the real CLI (bin/recover.js, so dist/ must be built). A case starts with header comments:
//
//   # expect: <substring that must appear in stderr>        (one or more)
//   # at: <line>:<col>                                      (optional, repeatable; "<file>:<line>:<col>:" must appear)
//   # args: plan {file} k3s1 --inventory F                  (optional; default: validate {file})
//   # reject: <substring that must not appear in stderr>    (optional, repeatable)
//
// {file} is the case's path relative to the repository root, where the CLI runs. Words of args
// split on spaces; "double" or 'single' quotes keep an argument with spaces together. Every case
// must exit 2 (bad input, nothing ran) and print nothing on stdout.
//
// Only fixtures/invalid/[0-9]*.yaml are cases: support/ holds files the cases refer to, and
// A case the CLI does not meet yet is a failing test: fix the CLI, never the expectation.

const DIR = "fixtures/invalid";

interface Case {
  name: string;
  file: string;
  args: string[];
  expects: string[];
  ats: string[];
  rejects: string[];
  explicitArgs: boolean;
}

/** Splits an args header into words; quotes group words and are removed. */
function words(line: string): string[] {
  return (line.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => (/^(["']).*\1$/.test(w) ? w.slice(1, -1) : w));
}

function parseCase(name: string): Case {
  const file = `${DIR}/${name}`;
  const text = readFileSync(join(ROOT, file), "utf8");
  const header: Record<"expect" | "at" | "args" | "reject", string[]> = { expect: [], at: [], args: [], reject: [] };
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith("#")) break; // the header is the leading comment block
    const m = /^# (expect|at|args|reject): (.*)$/.exec(line);
    if (m) header[m[1] as keyof typeof header].push(m[2] as string);
  }
  if (header.args.length > 1) throw new Error(`${file}: more than one "# args:" line`);
  for (const at of header.at) if (!/^\d+:\d+$/.test(at)) throw new Error(`${file}: "# at: ${at}" is not <line>:<col>`);
  const args = words(header.args[0] ?? "validate {file}").map((w) => w.replaceAll("{file}", file));
  return {
    name,
    file,
    args,
    expects: header.expect,
    ats: header.at,
    rejects: header.reject,
    explicitArgs: header.args.length > 0,
  };
}

const cases = readdirSync(join(ROOT, DIR))
  .filter((name) => /^[0-9].*\.yaml$/.test(name))
  .sort()
  .map(parseCase);

describe("invalid-input corpus (fixtures/invalid)", () => {
  it("has enough cases, each well formed", () => {
    expect(cases.length).toBeGreaterThanOrEqual(36);
    for (const c of cases) {
      expect(c.name, `${c.name} is not named <NN>-<slug>.yaml`).toMatch(/^\d{2,3}-[a-z0-9-]+\.yaml$/);
      expect(c.expects.length, `${c.file} has no "# expect:" line`).toBeGreaterThan(0);
      // A file validated as it is must say where the problem is.
      if (!c.explicitArgs) expect(c.ats.length, `${c.file} is validated but has no "# at:" line`).toBeGreaterThan(0);
    }
    const numbers = cases.map((c) => Number.parseInt(c.name, 10));
    expect(new Set(numbers).size, "two cases share a number").toBe(numbers.length);
  });

  it("proves that every problem is reported at once (at least two cases report several)", () => {
    const several = cases.filter((c) => c.expects.some((e) => /^\d+ problems found$/.test(e) && Number.parseInt(e, 10) >= 2));
    expect(several.length).toBeGreaterThanOrEqual(2);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const run = runCli(c.args);
    const shown = `recover ${c.args.join(" ")}\nexit ${run.code}\n--- stdout\n${run.stdout}--- stderr\n${run.stderr}`;
    expect(run.stderr, shown).not.toContain("internal error");
    expect(run.code, shown).toBe(2);
    expect(run.stdout, shown).toBe("");
    for (const e of c.expects) expect(run.stderr, shown).toContain(e);
    for (const at of c.ats) expect(run.stderr, shown).toContain(`${c.file}:${at}:`);
    for (const r of c.rejects) expect(run.stderr, shown).not.toContain(r);
  });
});
