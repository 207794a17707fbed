import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { readState } from "../state/state-file.js";

/** Machine-wide: which lab holds which 127.0.0.x address (a tmpfs, so claims end with the machine). */
export const CLAIMS_DIR = "/run/recover-lab/claims";

export interface ClaimOwner {
  dir: string;
  id: string;
}

const FIRST = 2;
const LAST = 254;

const ownerFile = (claim: string): string => path.join(claim, "owner.json");

async function readOwner(claim: string): Promise<ClaimOwner | undefined> {
  const text = await readFile(ownerFile(claim), "utf8").catch(() => undefined);
  try {
    return text === undefined ? undefined : (JSON.parse(text) as ClaimOwner);
  } catch {
    return undefined;
  }
}

/** A claim whose lab is gone (its state.json missing or another lab's): free to take. */
async function isStale(claim: string): Promise<boolean> {
  const owner = await readOwner(claim);
  if (!owner) {
    // An owner being written right now: stale only once old.
    const made = (await stat(claim).catch(() => undefined))?.mtimeMs ?? 0;
    return Date.now() - made > 10_000;
  }
  const state = await readState(owner.dir).catch(() => undefined);
  return state?.id !== owner.id || state.phase === "stopping";
}

/** mkdir is atomic: true when this call made the claim (taking over a stale one). */
async function take(claim: string): Promise<boolean> {
  try {
    await mkdir(claim);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !(await isStale(claim))) return false;
  }
  await rm(claim, { recursive: true, force: true });
  return mkdir(claim).then(
    () => true,
    () => false,
  );
}

/**
 * Claims `count` loopback addresses for a lab, atomically (mkdir) against other labs; `record`
 * records each claim before it is made, so state.json names it even if this process dies right after.
 */
export async function claimAddresses(
  count: number,
  owner: ClaimOwner,
  journal: { record(address: string, claimPath: string): Promise<void>; forget(address: string): Promise<void> },
  claimsDir = CLAIMS_DIR,
): Promise<string[]> {
  await mkdir(claimsDir, { recursive: true, mode: 0o755 });
  const span = LAST - FIRST + 1;
  const start = Math.floor(Math.random() * span);
  const claimed: string[] = [];
  for (let i = 0; i < span && claimed.length < count; i++) {
    const address = `127.0.0.${FIRST + ((start + i) % span)}`;
    const claim = path.join(claimsDir, address);
    await journal.record(address, claim);
    if (await take(claim)) {
      await writeFile(ownerFile(claim), JSON.stringify(owner));
      claimed.push(address);
    } else await journal.forget(address);
  }
  if (claimed.length < count) throw new Error(`only ${claimed.length} of ${count} loopback addresses are free for a lab`);
  return claimed;
}

/** Gives a claim back, only when it is this lab's (a recorded claim may have failed and belong to another). */
export async function releaseClaim(claim: string, owner: ClaimOwner): Promise<void> {
  const current = await readOwner(claim);
  if (current?.id === owner.id) await rm(claim, { recursive: true, force: true });
}
