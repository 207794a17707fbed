import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstInvalidUtf8, readText } from "../../src/source/read-text.js";
import { ValidationError } from "../../src/source/validation-error.js";
import { runCli } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "recover-read-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("readText", () => {
  it("refuses a FIFO as not a regular file, without waiting for a writer", () => {
    const fifo = join(dir, "fifo.yaml");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    expect(() => readText(fifo, "runbook")).toThrow(`cannot read runbook ${fifo}: not a regular file (a FIFO)`);
  });

  it("refuses devices and directories", () => {
    expect(() => readText("/dev/null", "inventory")).toThrow("not a regular file (a character device)");
    expect(() => readText(dir, "runbook")).toThrow("not a regular file (a directory)");
  });

  it("refuses a symlink that leads out of its folder, and a symlink loop", () => {
    const secret = join(dir, "secret.txt");
    writeFileSync(secret, "root:$6$hash:19000:0:99999:7:::\n");
    mkdirSync(join(dir, "runbooks"));
    symlinkSync(secret, join(dir, "runbooks", "evil.yaml"));
    expect(() => readText(join(dir, "runbooks", "evil.yaml"), "runbook")).toThrow(
      /^cannot read runbook .*evil\.yaml: it is a symlink to .*secret\.txt, outside its folder [^:]*$/,
    );
    symlinkSync("loop.yaml", join(dir, "runbooks", "loop.yaml"));
    expect(() => readText(join(dir, "runbooks", "loop.yaml"), "runbook")).toThrow("a symlink loop");
  });

  it("reads a symlink to a file in the same folder", () => {
    writeFileSync(join(dir, "runbooks", "real.yaml"), "kind: Runbook\n");
    symlinkSync("real.yaml", join(dir, "runbooks", "alias.yaml"));
    expect(readText(join(dir, "runbooks", "alias.yaml"), "runbook")).toBe("kind: Runbook\n");
  });

  it("names UTF-16 and UTF-32 instead of reading them as something else", () => {
    const le = join(dir, "le.yaml");
    writeFileSync(le, Buffer.from("\ufeffkind: Runbook\n", "utf16le"));
    expect(() => readText(le, "runbook")).toThrow("it is encoded as UTF-16LE; recover reads UTF-8");
    const bare = join(dir, "bare.yaml");
    writeFileSync(bare, Buffer.from("kind: Runbook\n", "utf16le"));
    expect(() => readText(bare, "runbook")).toThrow("UTF-16LE");
  });

  it("refuses invalid UTF-8 at its line and column, and drops a UTF-8 byte-order mark", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, Buffer.concat([Buffer.from("a: 1\nb: é"), Buffer.from([0xff]), Buffer.from("\n")]));
    try {
      readText(bad, "runbook");
      throw new Error("no error");
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const [d] = (error as ValidationError).diagnostics;
      expect(d?.message).toBe("invalid UTF-8 (byte 0xff)");
      expect(d?.position).toEqual({ file: bad, line: 2, column: 5 });
      expect(d?.sourceLine).toBeUndefined();
    }
    const bom = join(dir, "bom.yaml");
    writeFileSync(bom, "\ufeffkind: Runbook\n");
    expect(readText(bom, "runbook")).toBe("kind: Runbook\n");
  });

  it("finds the first byte that is not well-formed UTF-8", () => {
    expect(firstInvalidUtf8(Buffer.from("abc"))).toBe(3);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3, 0xa9, 0xc3]))).toBe(3); // truncated sequence
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xed, 0xa0, 0x80]))).toBe(1); // a surrogate
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0xaf]))).toBe(0); // overlong
  });
});

describe("files that are not runbooks", () => {
  it("never have a line echoed in an error", () => {
    const notRunbook = join(dir, "shadow.yaml");
    writeFileSync(notRunbook, "root:$6$secrethash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
    const run = runCli(["validate", notRunbook]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${notRunbook}:`);
    expect(run.stderr).not.toContain("secrethash");
    expect(run.stderr).not.toContain("daemon:*");
  });
});
