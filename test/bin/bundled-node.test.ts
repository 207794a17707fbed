import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// bin/ is plain JavaScript: any Node reads it before anything is built or checked.
import { bundledNode, isSupported, tooOld } from "../../bin/bundled-node.js";
import { BIN, ROOT } from "../helpers/cli.js";

const LAUNCHER = pathToFileURL(join(ROOT, "bin", "bundled-node.js")).href;
const dir = mkdtempSync(join(tmpdir(), "recover-launcher-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A script that relaunches `child` on this Node through the launcher, as bin/recover.js does on an old Node. */
function launcherFor(childSource: string): { launcher: string; child: string } {
  const child = join(dir, `child-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(child, childSource);
  const launcher = `${child}.launch.mjs`;
  writeFileSync(launcher, `import { relaunch } from ${JSON.stringify(LAUNCHER)};\nrelaunch(process.execPath, ${JSON.stringify(child)});\n`);
  return { launcher, child };
}

describe("the Node version recover needs", () => {
  it("is 22.12 or newer", () => {
    expect(isSupported("22.12.0")).toBe(true);
    expect(isSupported("22.20.1")).toBe(true);
    expect(isSupported("24.0.0")).toBe(true);
    expect(isSupported("22.11.9")).toBe(false);
    expect(isSupported("20.20.2")).toBe(false);
    expect(isSupported("9.99.0")).toBe(false);
  });

  it("says what to do when neither Node can run recover", () => {
    expect(tooOld("20.20.2")).toMatch(/this is Node.js v20.20.2; recover needs Node.js 22.12 or newer/);
    expect(tooOld("20.20.2")).toMatch(/hint: .*optional dependencies.*22\.12\+/);
  });
});

describe("the Node installed with recover", () => {
  it("is found from the launcher and is a Node recover runs on", () => {
    const node = bundledNode(LAUNCHER);
    expect(node).toBeDefined();
    const version = spawnSync(node, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
    expect(isSupported(version)).toBe(true);
  });

  it("is absent from a folder without it", () => {
    expect(bundledNode(pathToFileURL(join(dir, "bin", "recover.js")).href)).toBeUndefined();
  });

  it("runs the CLI when the launcher hands over to it", () => {
    const node = bundledNode(LAUNCHER) as string;
    const result = spawnSync(node, [BIN, "--version"], { encoding: "utf8" });
    expect(result.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(result.stderr).toBe("");
  });
});

describe("relaunching", () => {
  it("passes the arguments, the output and the exit code through", () => {
    const { launcher } = launcherFor("console.log(JSON.stringify(process.argv.slice(2))); process.exitCode = 7;\n");
    const result = spawnSync(process.execPath, [launcher, "plan", "a b", "--dry-run"], { encoding: "utf8" });
    expect(result.status).toBe(7);
    expect(JSON.parse(result.stdout)).toEqual(["plan", "a b", "--dry-run"]);
  });

  it("passes a SIGTERM on to the child and ends the way the child ends", async () => {
    const { launcher } = launcherFor(
      'process.on("SIGTERM", () => { console.log("child got SIGTERM"); process.exit(143); });\nconsole.log("ready");\nsetInterval(() => {}, 1000);\n',
    );
    const parent = spawn(process.execPath, [launcher], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const ready = new Promise<void>((resolve) =>
      parent.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("ready")) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => parent.on("exit", (code) => resolve(code)));
    await ready;
    parent.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(out).toContain("child got SIGTERM");
  });

  it("ends by the same signal when the child is killed by one", async () => {
    const { launcher } = launcherFor('console.log("ready"); setInterval(() => {}, 1000);\n');
    const parent = spawn(process.execPath, [launcher], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve) => parent.stdout.once("data", () => resolve()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => parent.on("exit", (_code, signal) => resolve(signal)));
    parent.kill("SIGHUP");
    expect(await exited).toBe("SIGHUP");
  });
});
