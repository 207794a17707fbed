// Bundles the CLI into one file, dist/recover.cjs: a start-up then reads one file instead of resolving and
// loading some 300 modules. CommonJS, so that bin/load-bundle.js can compile it with V8's code cache.
// Then saves that code cache from a warm-up run (scripts/warm-code-cache.js).
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUNDLE } from "../bin/load-bundle.js";
import { warmCodeCache } from "./warm-code-cache.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SRC = fileURLToPath(new URL("../src/", import.meta.url));

/**
 * Modules find files beside them with `new URL("../../runbooks/", import.meta.url)`. In the bundle each one
 * keeps the URL it has in dist/ (dist/runbook/registry.js), so those paths stay right wherever the package is.
 */
const importMetaUrl = {
  name: "import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, "utf8");
      if (!text.includes("import.meta.url")) return undefined;
      const asBuilt = relative(SRC, path).replace(/\.ts$/, ".js");
      const url = `new URL(${JSON.stringify(asBuilt)}, require("node:url").pathToFileURL(__filename)).href`;
      return { contents: text.replaceAll("import.meta.url", url), loader: "ts" };
    });
  },
};

// The build id keys the cache of validated input (src/cli/cache/): a hash of the bundle, so the same code
// keeps the same cache and any change starts a new one. Same length as the placeholder: the source map holds.
const PLACEHOLDER = "RECOVER-BUILD-ID";

const result = await build({
  entryPoints: [fileURLToPath(new URL("../src/cli/main.ts", import.meta.url))],
  outfile: BUNDLE,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node22.12",
  // ssh2 loads optional native code (cpu-features) by path: it stays a package, required when a command needs it.
  external: ["ssh2"],
  plugins: [importMetaUrl],
  define: { __RECOVER_BUILD__: JSON.stringify(PLACEHOLDER) },
  // Less text to read and check at every start; names are kept, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: "linked",
  write: false,
  logLevel: "warning",
});
const bundle = result.outputFiles.find((f) => f.path === BUNDLE);
const id = createHash("sha256").update(bundle.text).digest("hex").slice(0, PLACEHOLDER.length);
for (const file of result.outputFiles) await writeFile(file.path, file === bundle ? file.text.replaceAll(PLACEHOLDER, id) : file.contents);
await warmCodeCache(ROOT);
