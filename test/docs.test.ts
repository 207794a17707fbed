import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { inventoryJsonSchema } from "../src/inventory/json-schema.js";
import { checkInventoryText } from "../src/inventory/load.js";
import { runbookJsonSchema } from "../src/runbook/json-schema.js";
import { checkRunbookText } from "../src/runbook/load.js";
import type { RunbookSpec } from "../src/runbook/schema.js";
import { formatDiagnostics } from "../src/source/diagnostics.js";

// The language reference must stay true: its complete examples validate, and it names every field of the schema.

const DOC = join(fileURLToPath(new URL("..", import.meta.url)), "docs", "runbook-language.md");
const text = readFileSync(DOC, "utf8");

interface Block {
  kind: "runbook" | "inventory";
  /** 1-based line of the block's first content line in the doc. */
  line: number;
  /** The block, preceded by blank lines so that diagnostics give its line in the doc. */
  body: string;
}

/** Every ```yaml fence whose first line is `# check: runbook` or `# check: inventory`. */
function checkedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== "```yaml") continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]?.trim() !== "```") end++;
    const first = /^#\s*check:\s*(runbook|inventory)\s*$/.exec(lines[start] ?? "");
    if (first)
      blocks.push({
        kind: first[1] as Block["kind"],
        line: start + 1,
        body: `${"\n".repeat(start)}${lines.slice(start, end).join("\n")}\n`,
      });
    i = end;
  }
  return blocks;
}

const blocks = checkedBlocks(text);
const runbooks = blocks.filter((b) => b.kind === "runbook");
const inventories = blocks.filter((b) => b.kind === "inventory");

/** Specs of the doc's own runbooks by name, so an example that `uses` another example validates. */
const specsByName = new Map<string, RunbookSpec>();
for (const b of runbooks) {
  const { runbook } = checkRunbookText("docs/runbook-language.md", b.body);
  if (runbook) specsByName.set(runbook.spec.metadata.name, runbook.spec);
}

describe("docs/runbook-language.md examples", () => {
  it("marks enough complete examples to be checked", () => {
    expect(runbooks.length).toBeGreaterThanOrEqual(5);
    expect(inventories.length).toBeGreaterThanOrEqual(1);
  });

  it.each(runbooks.map((b) => [b.line, b] as const))("runbook example at line %i validates", (_line, block) => {
    const { runbook, diagnostics } = checkRunbookText("docs/runbook-language.md", block.body, {
      findRunbook: (name) => specsByName.get(name),
    });
    expect(formatDiagnostics(diagnostics)).toBe("");
    expect(runbook).toBeDefined();
  });

  it.each(inventories.map((b) => [b.line, b] as const))("inventory example at line %i validates", (_line, block) => {
    const { inventory, diagnostics } = checkInventoryText("docs/runbook-language.md", block.body);
    expect(formatDiagnostics(diagnostics)).toBe("");
    expect(inventory).toBeDefined();
  });
});

/** Every name under a `properties` key anywhere in a JSON Schema (anyOf, items, additionalProperties included). */
function propertyNames(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) {
    for (const item of schema) propertyNames(item, into);
  } else if (schema && typeof schema === "object") {
    const properties = (schema as { properties?: unknown }).properties;
    if (properties && typeof properties === "object" && !Array.isArray(properties)) {
      for (const name of Object.keys(properties)) into.add(name);
    }
    for (const value of Object.values(schema)) propertyNames(value, into);
  }
  return into;
}

describe("docs/runbook-language.md covers the schema", () => {
  const inBackticks = new Set([...text.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] as string));

  it.each([
    ["runbook", runbookJsonSchema()],
    ["inventory", inventoryJsonSchema()],
  ] as const)("names every %s field in backticks", (_kind, schema) => {
    const names = [...propertyNames(schema)];
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !inBackticks.has(name))).toEqual([]);
  });
});
