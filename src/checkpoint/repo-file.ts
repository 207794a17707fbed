import { lstatSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, posix, relative, sep } from "node:path";
import { EditProblem } from "./edit/problem.js";

/** A file an edit touches: its path in the checkout (symlinks resolved) and on disk. */
export interface RepoFile {
  /** Relative to the checkout, with `/`: what git is given. */
  rel: string;
  abs: string;
}

/**
 * Where `file` really is: inside the checkout after resolving every symlink, never under `.git`.
 * `root` is the checkout's real path. Throws an EditProblem otherwise; reads the file system only.
 */
export function resolveRepoFile(root: string, file: string): RepoFile {
  const lexical = lexicalProblem(file);
  if (lexical) throw new EditProblem(lexical);
  const wanted = join(root, posix.normalize(file));
  const real = realPath(wanted);
  const rel = relative(root, real);
  if (rel === "" || rel.startsWith(`..${sep}`) || rel === ".." || isAbsolute(rel))
    throw new EditProblem(`resolves to ${real} (through a symlink), outside the GitOps checkout ${root}`);
  const relPosix = rel.split(sep).join("/");
  if (relPosix.split("/").some((s) => s.toLowerCase() === ".git"))
    throw new EditProblem(`resolves to ${relPosix} (through a symlink), inside .git`);
  return { rel: relPosix, abs: real };
}

/** What is wrong with the path as written, before looking at the disk. */
function lexicalProblem(file: string): string | undefined {
  if (file.trim() === "" || file.includes("\0")) return "is not a file path";
  if (isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file)) return "is absolute; edits stay inside the GitOps checkout";
  const normal = posix.normalize(file.replaceAll("\\", "/"));
  if (normal === ".." || normal.startsWith("../")) return "leads out of the GitOps checkout";
  if (normal === "." || normal.endsWith("/")) return "is a directory, not a file";
  if (normal.split("/").some((s) => s.toLowerCase() === ".git")) return "is inside .git";
  return undefined;
}

/** The real path of `path`, or of its nearest existing ancestor with the rest appended (for a file an edit creates). */
function realPath(path: string): string {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    if (exists(at)) {
      try {
        return join(realpathSync(at), ...rest.reverse());
      } catch {
        throw new EditProblem(`${at} is a symlink to nothing`);
      }
    }
    const up = dirname(at);
    if (up === at) return path;
    rest.push(at.slice(up.length + (up.endsWith(sep) ? 0 : 1)));
    at = up;
  }
}

/** Whether anything is at `path`, a dangling symlink included. */
function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/** The file's text, or undefined when it does not exist. */
export function readRepoFile(file: RepoFile): string | undefined {
  try {
    return readFileSync(file.abs, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "EISDIR") throw new EditProblem("is a directory, not a file");
    throw new EditProblem(`cannot be read: ${(error as Error).message}`);
  }
}

/** Writes the file all at once (a temporary file renamed over it, same mode), or removes it for `undefined`. */
export function writeRepoFile(file: RepoFile, text: string | undefined): void {
  if (text === undefined) {
    rmSync(file.abs, { force: true });
    return;
  }
  mkdirSync(dirname(file.abs), { recursive: true });
  const temporary = join(dirname(file.abs), `.${basename(file.abs)}.recover-${process.pid}.tmp`);
  let mode: number | undefined;
  try {
    mode = statSync(file.abs).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  try {
    writeFileSync(temporary, text, mode === undefined ? {} : { mode });
    renameSync(temporary, file.abs);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
