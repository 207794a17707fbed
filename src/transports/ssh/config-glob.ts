/** glob(3) as Include uses it: `*`, `?` and `[...]` per path segment, sorted, no dot-files unless asked for. */
import { readdir } from "node:fs/promises";

const WILDCARD = /[*?[]/;

/** Paths matching an absolute `pattern`, sorted. A segment without wildcards is taken as is, so the caller still meets ENOENT. */
export async function globPaths(pattern: string): Promise<string[]> {
  const segments = pattern.split("/").filter((segment) => segment !== "");
  let paths = [""];
  for (const [i, segment] of segments.entries()) {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const base of paths) {
      if (!WILDCARD.test(segment)) {
        next.push(`${base}/${segment}`);
        continue;
      }
      const regex = segmentRegex(segment);
      for (const entry of await listDir(base === "" ? "/" : base)) {
        if (entry.name.startsWith(".") && !segment.startsWith(".")) continue;
        if (!regex.test(entry.name)) continue;
        if (!last && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
        next.push(`${base}/${entry.name}`);
      }
    }
    paths = next;
  }
  return paths.sort();
}

async function listDir(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

function segmentRegex(segment: string): RegExp {
  let body = "";
  for (let i = 0; i < segment.length; i++) {
    const ch = segment.charAt(i);
    const close = ch === "[" ? segment.indexOf("]", i + 2) : -1;
    if (ch === "*") body += ".*";
    else if (ch === "?") body += ".";
    else if (close !== -1) {
      const inner = segment
        .slice(i + 1, close)
        .replace(/^!/, "^")
        .replace(/\\/g, "\\\\");
      body += `[${inner}]`;
      i = close;
    } else body += ch.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${body}$`, "su");
}
