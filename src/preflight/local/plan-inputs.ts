import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { appliedFromCheckout, editedFiles } from "../../plan/checkout-files.js";
import type { FileDigest, PlanInputs } from "../../plan/inputs.js";
import type { Plan } from "../../plan/types.js";

/** What a plan was made from, by name and path: the digests are taken of these. */
export interface InputSources {
  recover: string;
  /** The runbook first, then the runbooks it uses, each with the file its name resolves to (undefined: none does now). */
  runbooks: { name: string; file: string | undefined }[];
  inventory?: string;
  /** The checkout's HEAD commit, found by the local prechecks. */
  head?: string | null;
}

/** Reads and digests a plan's inputs: the runbooks, the inventory, the checkout's HEAD and the files the plan edits or applies. */
export function digestInputs(plan: Plan, sources: InputSources): PlanInputs {
  const gitops = plan.gitops;
  const files = gitops ? [...new Set([...editedFiles(plan), ...appliedFromCheckout(plan).map((a) => a.file)])].sort() : [];
  const { inputs: _saved, ...planOnly } = plan;
  return {
    recover: sources.recover,
    plan: sha256(JSON.stringify(planOnly)),
    runbooks: sources.runbooks.map(({ name, file }) => ({ name, ...(file ? digest(resolve(file)) : { file: "", sha256: null }) })),
    ...(sources.inventory ? { inventory: digest(resolve(sources.inventory)) } : {}),
    ...(gitops
      ? { gitops: { dir: gitops.dir, head: sources.head ?? null, files: files.map((f) => ({ ...digest(join(gitops.dir, f)), file: f })) } }
      : {}),
  };
}

/** SHA-256 of a regular file's bytes; null when it does not exist (a folder is not digested). */
function digest(path: string): FileDigest {
  if (!existsSync(path) || !statSync(path).isFile()) return { file: path, sha256: null };
  return { file: path, sha256: sha256(readFileSync(path)) };
}

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex");
