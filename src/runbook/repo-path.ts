import { lstatSync, realpathSync, statSync } from "node:fs";
import { isAbsolute, join, posix, relative, sep } from "node:path";

/** What is wrong with a path that must stay inside the GitOps repository, or undefined when it is fine. */
export function repoPathProblem(file: string): string | undefined {
  if (file.trim() === "") return "is empty";
  if (/[\0\n\r]/.test(file)) return `${JSON.stringify(file)} holds a NUL or line break, which no file name in a repository should`;
  if (posix.isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file)) return `"${file}" is absolute; edits stay inside the GitOps repository`;
  const normal = posix.normalize(file.replaceAll("\\", "/"));
  if (normal === ".." || normal.startsWith("../")) return `"${file}" leads out of the GitOps repository`;
  if (normal === "." || normal.endsWith("/")) return `"${file}" is a directory, not a file`;
  if (inGitDir(normal.split("/"))) return `"${file}" is inside .git`;
  return undefined;
}

/** A `.git` folder at any depth, in any case (case-insensitive filesystems open `.GIT/config` as `.git/config`). */
function inGitDir(segments: readonly string[]): boolean {
  return segments.some((s) => s.toLowerCase() === ".git");
}

/**
 * The lexical check, then where the path really leads in the checkout at `repoDir`: a symlink on
 * the way may not lead out of the repository or into a `.git` folder, and what is there already
 * must be a regular file. The checkpoint code checks again when it writes.
 */
export function realRepoPathProblem(repoDir: string, file: string): string | undefined {
  const lexical = repoPathProblem(file);
  if (lexical) return lexical;
  let root: string;
  try {
    root = realpathSync(repoDir);
  } catch {
    return `cannot be checked: the GitOps checkout ${repoDir} cannot be read`;
  }
  let real = root;
  const segments = posix.normalize(file.replaceAll("\\", "/")).split("/");
  for (const [i, segment] of segments.entries()) {
    const next = join(real, segment);
    let link: boolean;
    try {
      link = lstatSync(next).isSymbolicLink();
    } catch {
      real = join(next, ...segments.slice(i + 1)); // the rest does not exist yet: the edit creates it
      break;
    }
    try {
      real = link ? realpathSync(next) : next;
    } catch {
      return `"${file}" passes a symlink that leads nowhere or in a loop (${segments.slice(0, i + 1).join("/")})`;
    }
  }
  const inside = relative(root, real);
  if (inside === "" || inside.startsWith("..") || isAbsolute(inside))
    return `"${file}" leads out of the GitOps repository through a symlink (to ${real})`;
  if (inGitDir(inside.split(sep))) return `"${file}" leads into .git through a symlink`;
  try {
    if (!statSync(real).isFile()) return `"${file}" is not a regular file`;
  } catch {
    // Absent: the edit will create it.
  }
  return undefined;
}
