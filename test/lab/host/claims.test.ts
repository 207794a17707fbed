import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimAddresses, releaseClaim } from "../../../src/lab/host/claims.js";
import { STATE_VERSION } from "../../../src/lab/state/state-file.js";

let tmp: string;
let claims: string;
const journal = () => {
  const recorded: string[] = [];
  return {
    recorded,
    record: async (address: string) => {
      recorded.push(address);
    },
    forget: async (address: string) => {
      recorded.splice(recorded.indexOf(address), 1);
    },
  };
};

/** A lab directory with a state.json naming `id`, as a running lab has. */
async function labDir(name: string, id: string): Promise<string> {
  const dir = path.join(tmp, name);
  await mkdir(dir);
  await writeFile(path.join(dir, "state.json"), JSON.stringify({ version: STATE_VERSION, id, dir, phase: "up", resources: [], facts: {} }));
  return dir;
}

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "recover-claims-"));
  claims = path.join(tmp, "claims");
});
afterEach(() => rm(tmp, { recursive: true, force: true }));

describe("address claims", () => {
  it("never gives two labs the same address, and records each claim it keeps", async () => {
    const a = { dir: await labDir("a", "aaaa"), id: "aaaa" };
    const b = { dir: await labDir("b", "bbbb"), id: "bbbb" };
    const [ja, jb] = [journal(), journal()];
    const [got, other] = await Promise.all([claimAddresses(40, a, ja, claims), claimAddresses(40, b, jb, claims)]);
    expect(new Set([...got, ...other]).size).toBe(80);
    expect(ja.recorded.sort()).toEqual([...got].sort());
    expect((await readdir(claims)).length).toBe(80);
  });

  it("takes over a claim whose lab is gone, never one whose lab still runs", async () => {
    const live = { dir: await labDir("live", "1111"), id: "1111" };
    const taken = await claimAddresses(253, live, journal(), claims);
    await expect(claimAddresses(1, { dir: path.join(tmp, "new"), id: "2222" }, journal(), claims)).rejects.toThrow(
      "only 0 of 1 loopback addresses are free for a lab",
    );
    await rm(live.dir, { recursive: true });
    const [address] = await claimAddresses(1, { dir: path.join(tmp, "new"), id: "2222" }, journal(), claims);
    expect(taken).toContain(address);
  });

  it("gives back only its own claim", async () => {
    const owner = { dir: await labDir("c", "cccc"), id: "cccc" };
    const [address] = await claimAddresses(1, owner, journal(), claims);
    await releaseClaim(path.join(claims, address as string), { dir: owner.dir, id: "other" });
    expect(await readdir(claims)).toEqual([address]);
    await releaseClaim(path.join(claims, address as string), owner);
    expect(await readdir(claims)).toEqual([]);
  });
});
