// The script resume runs to end what a killed step left: it goes by the step's marker, and never
// by a bare number from a journal that could name another program's processes (or inject a command).
import { spawn } from "node:child_process";
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { endLeftoverScript } from "../../src/engine/leftovers.js";
import { eventually } from "../helpers/eventually.js";

const marker = "r00112233445566ff";
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("endLeftoverScript", () => {
  it("ends the processes carrying the marker, and the recorded group only while a marked process is in it", async () => {
    // A group led by an unmarked process (as sudo leads one), with a marked child in it.
    const leader = spawn("sh", ["-c", `RECOVER_RUN=${marker} sleep 300 & wait`], { detached: true, stdio: "ignore" });
    const stranger = spawn("sleep", ["300"], { detached: true, stdio: "ignore" });
    try {
      const script = endLeftoverScript({ runMarker: marker, pgid: leader.pid }) as string;
      const marked = () =>
        execa("sh", ["-c", `grep -l -z -x -a -F RECOVER_RUN=${marker} /proc/[0-9]*/environ`], { reject: false }).then(
          (r) => r.stdout !== "",
        );
      expect(await eventually(marked)).toBe(true);
      expect((await execa("sh", ["-c", script])).stdout).toBe("ended");
      expect(alive(leader.pid as number)).toBe(false);
      // Another group recorded for the marker: nothing of the marker is in it, so it is not touched.
      const other = endLeftoverScript({ runMarker: marker, pgid: stranger.pid }) as string;
      expect((await execa("sh", ["-c", other])).stdout).toBe("gone");
      expect(alive(stranger.pid as number)).toBe(true);
    } finally {
      for (const child of [leader, stranger]) if (child.pid && alive(child.pid)) process.kill(-child.pid, "SIGKILL");
    }
  });

  it("takes nothing that is not a marker, a group or a pid as it is", () => {
    expect(endLeftoverScript({ runMarker: "r'; reboot; '", pgid: 1234 })).toBeUndefined();
    expect(endLeftoverScript({ pgid: 1234 })).toBeUndefined();
    expect(endLeftoverScript({ runMarker: marker, pgid: 1 })).not.toContain("-- -1");
    expect(endLeftoverScript({ pid: 4321 })).toContain("kill -s TERM 4321");
  });
});
