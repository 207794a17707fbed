// The pure decisions of resume --from-git about the journal: which one to continue, and its paths in a moved checkout.
import { describe, expect, it } from "vitest";
import { chooseJournal } from "../../src/cli/commands/journal-choice.js";
import { relocateJournal } from "../../src/cli/commands/relocate-journal.js";
import { planHash } from "../../src/engine/plan-hash.js";

describe("chooseJournal", () => {
  const git = "run\nstep a\n";
  it("the longer of two journals where one continues the other; refuses two that disagree", () => {
    expect(chooseJournal(undefined, git)).toBe("absent");
    expect(chooseJournal(git, git)).toBe("same");
    expect(chooseJournal(`${git}step b\n`, git)).toBe("local-further");
    expect(chooseJournal("run\n", git)).toBe("git-further");
    expect(chooseJournal("run\nstep x\n", git)).toBe("diverged");
  });
});

describe("relocateJournal", () => {
  const plan = {
    runbook: { name: "lost", file: "/usr/lib/recover/runbooks/lost.yaml", summary: "s" },
    gitops: { dir: "/old/k3s-flux" },
    stages: [{ id: "one", steps: [{ id: "edit", origin: { file: "/old/k3s-flux/recover/runbooks/x.yaml" }, cmd: "/old/k3s-flux-other" }] }],
  };
  const record = {
    type: "run",
    runId: "r1",
    planHash: planHash(plan as never),
    invocation: { runbook: plan.runbook.file, args: [], param: [], gitops: "/old/k3s-flux" },
    plan,
  };
  const text = `${JSON.stringify(record)}\n{"type":"step","step":"edit","cwd":"/old/k3s-flux"}\n`;

  it("moves the run record's paths under the old checkout (and a runbook found again by name), with the plan hash", () => {
    const moved = relocateJournal(
      text,
      "/new/clone",
      (name) => `/opt/recover/runbooks/${name}.yaml`,
      () => false,
    );
    const [first, rest] = moved.text.split("\n");
    const out = JSON.parse(first as string);
    expect(out.invocation).toEqual({ runbook: "/opt/recover/runbooks/lost.yaml", args: [], param: [], gitops: "/new/clone" });
    expect(out.plan.gitops.dir).toBe("/new/clone");
    expect(out.plan.stages[0].steps[0]).toEqual({
      id: "edit",
      origin: { file: "/new/clone/recover/runbooks/x.yaml" },
      cmd: "/old/k3s-flux-other",
    });
    expect(out.planHash).toBe(planHash(out.plan));
    expect(rest).toBe('{"type":"step","step":"edit","cwd":"/old/k3s-flux"}'); // later records verbatim
    expect(moved.moved).toEqual({ from: "/old/k3s-flux", to: "/new/clone" });
  });

  it("leaves a journal of the same checkout byte for byte", () => {
    expect(
      relocateJournal(
        text,
        "/old/k3s-flux",
        () => undefined,
        () => true,
      ),
    ).toEqual({ text });
  });
});
