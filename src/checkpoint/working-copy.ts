import { computeEdit, type EditAction, type EditOutcome } from "./edit-step.js";
import { type RepoFile, readRepoFile } from "./repo-file.js";

/** A file's text before and after a group of edits (undefined: absent). */
export interface FileChange {
  file: string;
  before: string | undefined;
  after: string | undefined;
}

/**
 * The GitOps checkout as edits would leave it, kept in memory: reads fall through to the disk,
 * nothing is ever written. The dry-run diff and a stage's all-or-nothing check apply edits here.
 */
export class WorkingCopy {
  private readonly current = new Map<string, string | undefined>();
  private readonly since = new Map<string, string | undefined>();

  constructor(readonly root: string) {}

  apply(action: EditAction, step?: string): EditOutcome {
    const outcome = computeEdit(this.root, action, (file) => this.read(file), step);
    if (outcome.changed) {
      if (!this.since.has(outcome.file.rel)) this.since.set(outcome.file.rel, outcome.before);
      this.current.set(outcome.file.rel, outcome.after);
    }
    return outcome;
  }

  /** The files changed since the last call, with their text then and now; unchanged round trips left out. */
  takeChanges(): FileChange[] {
    const changes = [...this.since].flatMap(([file, before]) => {
      const after = this.current.get(file);
      return before === after ? [] : [{ file, before, after }];
    });
    this.since.clear();
    return changes;
  }

  private read(file: RepoFile): string | undefined {
    return this.current.has(file.rel) ? this.current.get(file.rel) : readRepoFile(file);
  }
}
