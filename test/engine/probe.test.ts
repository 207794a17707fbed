import { describe, expect, it } from "vitest";
import { probePlan } from "../../src/engine/probe.js";
import { HEADER, planFrom } from "../helpers/plan.js";
import { fakeClock, options, scriptedTransport } from "./scripted.js";

describe("--dry-run --probe", () => {
  it("sends only read-only commands: skipIf, guards and readOnly steps, never an action that changes something", async () => {
    const plan = planFrom(
      `${HEADER}stages:
  - id: s
    steps:
      - {id: look, readOnly: true, sh: "cat /etc/hostname", capture: {as: name}}
      - {id: done-already, sh: "touch /a", skipIf: {title: a exists, sh: "test -e /a", expect: "result.exitCode == 0"}}
      - {id: blocked, sh: "wipefs /dev/x", guard: [{title: not mounted, sh: "findmnt /dev/x", expect: "result.exitCode != 0", message: "unmount it"}]}
      - {id: named, sh: "echo \${{ captures.name }} > /b"}
      - {id: later, when: "captures.name == 'k3s1'", sh: "reboot"}
`,
      { positional: ["k3s1"] },
    );
    const log: string[] = [];
    const readOnly: (boolean | undefined)[] = [];
    const notes = await probePlan(
      plan,
      {
        openTransport: (name) =>
          scriptedTransport(
            name,
            (cmd, request) => {
              readOnly.push(request.readOnly);
              return cmd === "cat /etc/hostname" ? { stdout: "k3s1\n" } : {};
            },
            log,
          ),
        clock: fakeClock(),
      },
      options(),
    );
    expect(log).toEqual(["host: cat /etc/hostname", "host: test -e /a", "host: findmnt /dev/x"]);
    expect(readOnly.every((r) => r === true)).toBe(true);
    expect(Object.fromEntries(notes.map((n) => [n.step, n.note]))).toEqual({
      look: "read-only step ran",
      "done-already": "would be skipped: already done (a exists)",
      blocked: 'guard "not mounted" would stop the run here: unmount it (exit 0)',
      named: "would run",
      later: "would run",
    });
  });
});
