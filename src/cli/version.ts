import { readFileSync } from "node:fs";

/** recover's version, from its package.json. */
export function recoverVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
