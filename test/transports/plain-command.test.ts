// A one-command script of plain words runs without a second shell: only where that cannot change
// what it does, checked against `sh -c 'set -eu; …'` itself.
import { execa } from "execa";
import { describe, expect, it } from "vitest";
import { plainCommand, scriptWithContract } from "../../src/transports/script.js";
import { shellQuote } from "../../src/util/shell-quote.js";

describe("plainCommand", () => {
  it("takes one command of plain words, spaces and tabs between them", () => {
    expect(plainCommand("test -d /tmp")).toEqual(["test", "-d", "/tmp"]);
    expect(plainCommand("  wipefs\t-a /dev/disk/by-id/ata-X_1 \n")).toEqual(["wipefs", "-a", "/dev/disk/by-id/ata-X_1"]);
    expect(plainCommand("dd if=/dev/zero of=/dev/loop9 bs=1M count=1")).toEqual([
      "dd",
      "if=/dev/zero",
      "of=/dev/loop9",
      "bs=1M",
      "count=1",
    ]);
  });

  it("leaves everything a shell would read otherwise to sh -c", () => {
    for (const script of [
      "",
      "echo $HOME",
      "echo ${x}",
      "ls *.yaml",
      "test -d /tmp && echo ok",
      "a; b",
      "a | b",
      "echo 'quoted'",
      'echo "quoted"',
      "echo a\\ b",
      "cat < /etc/hostname",
      "echo > /tmp/x",
      "echo `id`",
      "echo $(id)",
      "ls ~",
      "echo a # comment",
      "[ -d /tmp ]",
      "first\nsecond",
      "FOO=bar env",
      "if true",
      "! false",
      "cd /tmp",
      "exit 3",
      "exec sleep 1",
      "set -x",
      ". /etc/profile",
      "echo (a)",
      "echo {a,b}",
      "sleep 1 &",
    ])
      expect(plainCommand(script), JSON.stringify(script)).toBeUndefined();
  });

  it("run as its words, does what sh -c 'set -eu; script' does", async () => {
    for (const script of ["printf %s,%s a b", "test -d /nonexistent-dir", "ls -d /tmp /nonexistent-dir", "true extra words", "false"]) {
      const words = plainCommand(script);
      expect(words, script).toBeDefined();
      const viaShell = await execa("sh", ["-c", scriptWithContract(script)], { reject: false });
      const direct = await execa("sh", ["-c", `exec ${(words ?? []).map(shellQuote).join(" ")}`], { reject: false });
      expect([direct.exitCode, direct.stdout], script).toEqual([viaShell.exitCode, viaShell.stdout]);
    }
  });
});
