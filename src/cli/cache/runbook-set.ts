import { resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import type { LoadedRunbook } from "../../runbook/load.js";
import { findRunbookFile, loadRunbookSet, resolveRunbookArg } from "../../runbook/registry.js";
import type { RunbookSpec } from "../../runbook/schema.js";
import { CachedDocument, type PositionIndex, positionIndex } from "../../source/cached-document.js";
import { readText } from "../../source/read-text.js";
import type { CacheStore } from "./store.js";

type RunbookSet = ReturnType<typeof loadRunbookSet>;

/** A runbook that passed validation: what planning needs of it, and what it was validated from. */
interface Member {
  /** The name it is used by (absent for the runbook asked for). */
  name?: string;
  /** The text it was validated from (the asked-for runbook's text is part of the key). */
  text?: string;
  spec: RunbookSpec;
  index: PositionIndex;
}

/**
 * loadRunbookSet, remembered: a runbook set validated once is not parsed or validated again while the
 * runbook, every runbook it uses and the build of recover stay the same. Only valid sets are kept, so
 * problems are always found and reported afresh.
 */
export function cachedRunbookSet(fileOrName: string, gitops: string | undefined, store: CacheStore | undefined): RunbookSet {
  if (!store) return loadRunbookSet(fileOrName, gitops);
  const file = resolveRunbookArg(fileOrName, gitops);
  const text = readText(file, "runbook");
  const key = ["runbook-set", resolve(file), gitops === undefined ? "" : resolve(gitops), text];
  const members = store.get<Member[]>(key);
  const hit = members && fromCache(members, file, text, gitops);
  if (hit) return hit;
  const set = loadRunbookSet(fileOrName, gitops);
  const fresh = toCache(set);
  // Kept only when it was validated from the text this key names and survives the trip through JSON.
  if (fresh && set.runbook.doc.text === text) store.put(key, fresh);
  return set;
}

function fromCache(members: Member[], file: string, text: string, gitops: string | undefined): RunbookSet | undefined {
  const [root, ...used] = members;
  if (!root) return undefined;
  const runbooks = new Map<string, LoadedRunbook>();
  for (const member of used) {
    // The file the name finds now, which may not be the one it found then: its text decides.
    const usedFile = member.name === undefined ? undefined : findRunbookFile(member.name, gitops);
    if (member.name === undefined || usedFile === undefined) return undefined;
    const usedText = readText(usedFile, "runbook");
    if (usedText !== member.text) return undefined;
    runbooks.set(member.name, loaded(usedFile, usedText, member));
  }
  return { runbook: loaded(file, text, root), runbooks };
}

function loaded(file: string, text: string, member: Member): LoadedRunbook {
  return { file, spec: member.spec, doc: new CachedDocument(file, text, member.index) };
}

function toCache(set: RunbookSet): Member[] | undefined {
  const member = (runbook: LoadedRunbook, name?: string): Member => ({
    ...(name === undefined ? {} : { name, text: runbook.doc.text }),
    spec: runbook.spec,
    index: positionIndex(runbook.doc, runbook.spec),
  });
  const members = [member(set.runbook), ...[...set.runbooks].map(([name, runbook]) => member(runbook, name))];
  return members.every((m) => isDeepStrictEqual(JSON.parse(JSON.stringify(m.spec)), m.spec)) ? members : undefined;
}
