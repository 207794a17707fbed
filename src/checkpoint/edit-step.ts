import type { PlannedAction } from "../plan/types.js";
import { EditProblem } from "./edit/problem.js";
import { editYaml } from "./edit/yaml-edit.js";
import { EditError } from "./errors.js";
import { type RepoFile, resolveRepoFile } from "./repo-file.js";

export type EditAction = Extract<PlannedAction, { kind: "edit" }>;

/** An edit worked out in memory: the file's text before and after (undefined: absent). */
export interface EditOutcome {
  file: RepoFile;
  before: string | undefined;
  after: string | undefined;
  changed: boolean;
}

/**
 * Works out what an edit step does to its file, reading through `read` (the disk, or a copy in
 * memory) and writing nothing. Throws an EditError naming the step, file and path when it cannot apply.
 */
export function computeEdit(root: string, action: EditAction, read: (file: RepoFile) => string | undefined, step?: string): EditOutcome {
  let file: RepoFile | undefined;
  try {
    file = resolveRepoFile(root, action.file);
    const before = read(file);
    const after = editedText(before, action);
    return { file, before, after, changed: before !== after };
  } catch (error) {
    if (!(error instanceof EditProblem)) throw error;
    const where = [action.file, describeDocument(action), error.path].filter(Boolean).join(", ");
    throw new EditError(`${step ? `edit step ${step}: ` : ""}${where}: ${error.message}`, file?.rel ?? action.file, error.path, step);
  }
}

function editedText(before: string | undefined, action: EditAction): string | undefined {
  if (action.remove) return undefined;
  if (action.content !== undefined) return action.content;
  if (before === undefined)
    throw new EditProblem("the file does not exist; set: and unset: change an existing file (create it with content:)");
  return editYaml(before, action);
}

function describeDocument(action: EditAction): string {
  const d = action.document;
  if (!d || (d.kind === undefined && d.name === undefined)) return "";
  return `document ${[d.kind, d.name].filter(Boolean).join("/")}`;
}
