import { describe, expect, it } from "vitest";
import { referencedPaths } from "../../src/expr/cel.js";
import type { Plan, PlannedCheck, PlannedStep } from "../../src/plan/types.js";
import { renderText } from "../../src/preview/text.js";
import { describeKnown } from "../../src/preview/values.js";
import { ROOT } from "../helpers/cli.js";
import { fixturePlan } from "../helpers/fixture-plan.js";
import { HEADER, planFrom } from "../helpers/plan.js";

// A fixed checkout path, so the preview is the same on every machine.
const { plan } = fixturePlan({ repoDir: "/home/operator/k3s-flux" });
const render = (options: { width?: number; wide?: boolean; color?: boolean } = {}) => renderText(plan, { base: ROOT, ...options });
const columns = (line: string) => [...line].length;
const ESC = String.fromCharCode(27);

describe("the dry-run preview of longhorn-node k3s1", () => {
  for (const width of [80, 120]) {
    it(`fits ${width} columns (snapshot)`, async () => {
      const text = render({ width });
      const wider = text.split("\n").filter((l) => columns(l) > width);
      expect(wider).toEqual([]);
      await expect(text).toMatchFileSnapshot(`snapshots/longhorn-node-k3s1.${width}.txt`);
    });
  }

  it("fits a narrow terminal too, without cutting a device path", () => {
    const text = render({ width: 72 });
    expect(text.split("\n").filter((l) => columns(l) > 72)).toEqual([]);
    expect(text).toContain("/dev/disk/by-id/ata-WDC_WD5000AAKX-00ERMA0_WD-WCC2EFA10001\n");
  });

  it("--wide prints every line whole: the same lines as a terminal of unlimited width", () => {
    const wide = render({ wide: true });
    expect(Math.max(...wide.split("\n").map(columns))).toBeGreaterThan(120);
    expect(wide).toBe(render({ width: 100_000 }));
    expect(wide).toContain(
      "  │                 probe   ssh k3s1 (sudo): lsblk -rn -o MOUNTPOINTS -- /dev/disk/by-id/ata-WDC_WD5000AAKX-00ERMA0_WD-WCC2EFA10001\n",
    );
  });

  it("wraps long commands under their step, keeping the tree's bar", () => {
    const lines = render({ width: 80 }).split("\n");
    const at = lines.findIndex((l) => l.includes("probe   ssh k3s1 (sudo): lsblk -rn -o MOUNTPOINTS"));
    expect(lines[at]).toMatch(/^ {2}│ {17}probe {3}ssh k3s1 \(sudo\): lsblk -rn -o MOUNTPOINTS --$/);
    expect(lines[at + 1]).toMatch(/^ {2}│ +\/dev\/disk\/by-id\/ata-WDC_WD5000AAKX-00ERMA0_WD-WCC2EFA10001$/);
  });

  it("colours without changing what is shown or how it wraps", () => {
    const coloured = render({ width: 80, color: true });
    expect(coloured).toContain("\u001b[31mDESTRUCTIVE\u001b[0m");
    expect(coloured.replace(new RegExp(`${ESC}\\[\\d+m`, "g"), "")).toBe(render({ width: 80 }));
  });

  it("sums up what the operator agrees to: devices with serial and size, words to type, Git, duration", () => {
    const text = render({ wide: true });
    expect(text).toContain(
      [
        "  destroys   prepare[sdf1].node — ssh k3s1 (sudo):",
        "               sdf1  /dev/disk/by-id/ata-WDC_WD5000AAKX-00ERMA0_WD-WCC2EFA10001",
        "                 serial WD-WCC2EFA10001, 500107862016 bytes (465.8 GiB); by wipe",
      ].join("\n"),
    );
    expect(text).toContain('  you type   "sdf1" before prepare[sdf1].wipe[sdf1]\n             "sdg1" before prepare[sdg1].wipe[sdg1]\n');
    expect(text).toContain("  git        2 commits in /home/operator/k3s-flux on main (one at the end of every stage but look, preflight");
    expect(text).toContain(
      "               safe-git: infrastructure/k3s1-node-config/k3s1-node.yaml, infrastructure/k3s1-node-config/k3s1-labels.yaml\n",
    );
    expect(text).toContain("  duration   at least 3s of waits, up to about 3h 51m of waiting on verify deadlines, plus the commands");
  });

  it("shows the guard and verify messages, the impact and the word to type", () => {
    const text = render({ wide: true });
    expect(text).toContain(
      "message /dev/disk/by-id/ata-WDC_WD5000AAKX-00ERMA0_WD-WCC2EFA10001 on k3s1 is not the disk the inventory names",
    );
    expect(text).toContain(
      "  │      impact   erases every filesystem, partition and signature on /dev/disk/by-id/ata-WDC_WD5000AAKX-00ERMA0_WD-WCC2EFA10001 of k3s1\n",
    );
    expect(text).toContain('  │      confirm  operator must type "sdf1" before it runs\n');
  });

  it("says after each stage what a failure leaves to run, as failureCleanup orders it", () => {
    const text = render();
    const evict = text.slice(text.indexOf("Stage 5/10"), text.indexOf("Stage 6/10"));
    expect(evict).toContain(
      [
        "  If a step of this stage fails, the run stops; then:",
        "      undo     nothing (no step so far has an undo)",
        "      always   resume.flux-request",
      ].join("\n"),
    );
    // Wrapped to the terminal's width: compared with the line breaks and indents taken out.
    const flat = evict.replace(/\s+/g, " ");
    expect(flat).toContain(
      "always resume.flux-request (only when (!has(captures.pastPointOfNoReturn) && !captures.?lateJournal.orValue(false)) || has(captures.finalState)),",
    );
    expect(flat).toContain(
      "flux-stays-suspended (only when (has(captures.pastPointOfNoReturn) || captures.?lateJournal.orValue(false)) && !has(captures.finalState))",
    );
  });
});

/** The lines of one step's block in the preview. */
function stepBlock(text: string, id: string): string {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => /^ {2}[├└]─ /.test(l) && l.slice(5).startsWith(`${id} `));
  const end = lines.findIndex((l, i) => i > start && (/^ {2}[├└]─ /.test(l) || !l.startsWith("  ")));
  return lines.slice(start, end).join("\n");
}

describe("every guard, skip if and verify of the shipped runbook shows its plan-time values resolved", () => {
  const text = renderText(plan, { base: ROOT, wide: true });
  const checks = plan.stages
    .flatMap((s) => s.steps)
    .flatMap((step) =>
      [...step.guards, step.skipIf, step.verify].filter((c): c is PlannedCheck => c !== undefined).map((c) => [step, c] as const),
    );

  it.each(checks.map(([step, check], i) => [`${step.id} #${i}`, step, check] as const))(
    "%s",
    (_name, step: PlannedStep, check: PlannedCheck) => {
      const vars = Object.keys(step.vars ?? {});
      const planTime = referencedPaths(check.expect, {
        result: "dyn",
        params: "dyn",
        inventory: "dyn",
        captures: "dyn",
        ...Object.fromEntries(vars.map((v) => [v, "dyn"])),
      })
        .filter((p) => p.root === "params" || p.root === "inventory" || p.root === "captures" || vars.includes(p.root))
        .map((p) => p.text);
      expect(check.known?.map((k) => k.path) ?? []).toEqual(planTime);
      const block = stepBlock(text, step.id);
      for (const known of check.known ?? []) {
        expect(known.value !== undefined || known.missing || known.runtime !== undefined).toBe(true);
        expect(block).toContain(describeKnown(known, plan as Plan));
      }
    },
  );

  it("the wipe guard names the serial it expects, and disk-identity the size in bytes and GiB", () => {
    expect(stepBlock(text, "prepare[sdf1].wipe[sdf1]")).toContain('disk.serial = "WD-WCC2EFA10001" (inventory disk sdf1)');
    expect(stepBlock(text, "prepare[sdg1].before[sdg1]")).toContain("disk.size = 500107862016 bytes (465.8 GiB) (inventory disk sdg1)");
    expect(stepBlock(text, "disks-off")).toContain("where   captures.recovered: captured by step recovered, known at run time");
  });
});

describe("marks", () => {
  it("a read-only step says so beside its id", () => {
    const p = planFrom(`${HEADER}stages:\n  - id: s\n    steps:\n      - {id: look, readOnly: true, sh: hostname}\n`, {
      positional: ["n1"],
    });
    expect(renderText(p)).toContain("  ├─ look [host] read-only\n");
  });
});
