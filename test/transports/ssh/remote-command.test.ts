import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { killLine } from "../../../src/transports/ssh/kill-script.js";
import { PgidMarkerFilter } from "../../../src/transports/ssh/pgid-marker.js";
import { displayCommand, newRunMarker, remoteCommandLine, sudoPrefix } from "../../../src/transports/ssh/remote-command.js";
import { passwordThenStdin, skipToCommandStdin } from "../../../src/transports/ssh/sudo-stdin.js";

/** Runs a command line the way sshd does: the login shell's `-c`. */
async function asLoginShell(line: string, input = "") {
  const { stdout, stderr, exitCode } = await execa("/bin/sh", ["-c", line], { input, reject: false, stripFinalNewline: false });
  return { stdout, stderr, exitCode };
}

const MARKER = newRunMarker();

describe("remote command lines", () => {
  it("puts the run marker in the command's environment, also for its children", async () => {
    const { stdout } = await asLoginShell(remoteCommandLine({ script: "sh -c 'echo $RECOVER_RUN'" }, "none", MARKER));
    expect(stdout).toBe(`${MARKER}\n`);
  });

  it("an argv line gives the program exactly its words, after the pid marker", async () => {
    const words = ["a b", "it's", "$HOME", "`id`", "", "; exit 9", "*"];
    const { stdout, stderr, exitCode } = await asLoginShell(remoteCommandLine({ argv: ["printf", "<%s>", ...words] }, "none", MARKER));
    expect(exitCode).toBe(0);
    expect(stdout).toBe(words.map((w) => `<${w}>`).join(""));
    const filter = new PgidMarkerFilter();
    expect(filter.push(Buffer.from(stderr)).toString()).toBe("");
    expect(filter.pgid).toBeGreaterThan(1);
  });

  it("a script runs under sh -c with set -eu", async () => {
    const { stdout, exitCode } = await asLoginShell(remoteCommandLine({ script: "echo one\nfalse\necho two" }, "none", MARKER));
    expect(stdout).toBe("one\n");
    expect(exitCode).toBe(1);
  });

  it("a one-command script of plain words is exec'd by the login shell itself: no second shell, the command is the login shell's own process", async () => {
    const line = remoteCommandLine({ script: "sh -c 'echo $$ $RECOVER_RUN'" }, "none", MARKER);
    expect(line).toContain("sh -c");
    const plain = remoteCommandLine({ script: "ps -o pid=,pgid=,args= -p $$" }, "none", MARKER);
    expect(plain).toContain("sh -c"); // $$ is not a plain word
    const direct = remoteCommandLine({ script: "cat /proc/self/stat" }, "none", MARKER);
    expect(direct).toMatch(/; exec cat \/proc\/self\/stat$/);
    const { stdout, stderr } = await asLoginShell(direct);
    const filter = new PgidMarkerFilter();
    filter.push(Buffer.from(stderr));
    // "pid (comm) …": cat has the login shell's pid (the one the marker line reports): exec'd, not forked.
    const [pid, comm] = stdout.split(" ");
    expect(comm).toBe("(cat)");
    expect(Number(pid)).toBe(filter.pgid);
    expect(remoteCommandLine({ script: "wipefs -a /dev/sdz" }, "sudo", MARKER)).toMatch(
      new RegExp(`; exec sudo -n -- env RECOVER_RUN=${MARKER} wipefs -a /dev/sdz$`),
    );
  });

  it("become puts sudo in front: -n, or -k -S with the password read from stdin", () => {
    expect(remoteCommandLine({ argv: ["id"] }, "sudo", MARKER)).toMatch(new RegExp(`; exec sudo -n -- env RECOVER_RUN=${MARKER} id$`));
    expect(remoteCommandLine({ argv: ["id"] }, "sudo-password", MARKER)).toMatch(
      new RegExp(`; exec sudo -k -S -p '' -- sh -c '.*' sh env RECOVER_RUN=${MARKER} id$`, "s"),
    );
    expect(killLine("term", [{ marker: MARKER, pgid: 1234 }], sudoPrefix("sudo"))).toMatch(/^sudo -n -- sh -c '.*-- -1234/s);
    expect(displayCommand({ argv: ["wipefs", "-a", "/dev/sdf"] }, "sudo")).toBe("sudo wipefs -a /dev/sdf");
  });

  it("under a password, the command's stdin starts after the sentinel, whether or not sudo took the password line", async () => {
    const line = skipToCommandStdin("cat");
    const fed = passwordThenStdin("s3cret", "first\nsecond\n");
    // sudo did not ask: the password line is still there and must be dropped.
    expect((await asLoginShell(line, fed.toString())).stdout).toBe("first\nsecond\n");
    // sudo asked and read its line: the rest starts at the sentinel.
    expect((await asLoginShell(line, fed.subarray("s3cret\n".length).toString())).stdout).toBe("first\nsecond\n");
    // Binary-ish stdin without a final newline passes unchanged.
    expect((await asLoginShell(line, passwordThenStdin("pw", "no newline\u0001").toString())).stdout).toBe("no newline\u0001");
  });

  it("the marker filter finds the pid line split across chunks and passes other stderr through", () => {
    const filter = new PgidMarkerFilter();
    const stream = Buffer.from("\u0001recover-pgid=4242\nreal error\n");
    const out = [filter.push(stream.subarray(0, 5)), filter.push(stream.subarray(5, 17)), filter.push(stream.subarray(17)), filter.flush()];
    expect(Buffer.concat(out).toString()).toBe("real error\n");
    expect(filter.pgid).toBe(4242);
  });

  it("without a marker, held stderr is released at the end, unchanged", () => {
    const filter = new PgidMarkerFilter();
    expect(filter.push(Buffer.from("fish: unknown command")).length).toBe(0);
    expect(filter.flush().toString()).toBe("fish: unknown command");
    expect(filter.pgid).toBeUndefined();
  });
});
