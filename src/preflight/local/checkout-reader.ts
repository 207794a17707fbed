import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { CheckoutFiles } from "./checkout-files.js";

/** The checkout's files as they are on disk now (paths relative to it; only regular files are read). */
export function checkoutOnDisk(dir: string): CheckoutFiles {
  return {
    read(file) {
      const path = join(dir, file);
      return existsSync(path) && statSync(path).isFile() ? readFileSync(path, "utf8") : undefined;
    },
    exists: (path) => existsSync(join(dir, path)),
  };
}
