import { existsSync } from "node:fs";
import { InputError } from "../errors.js";
import { resolveLabDir } from "./paths.js";
import { readState } from "./state/state-file.js";
import { type TeardownReport, teardown } from "./teardown.js";

/** `recover lab down`: undoes the lab in DIR from its state.json; nothing to do when there is none. */
export async function labDown(dirOption: string | undefined): Promise<TeardownReport & { dir: string; found: boolean }> {
  const dir = resolveLabDir(dirOption);
  const state = await readState(dir).catch((error: Error) => {
    throw new InputError(`${dir}: ${error.message}`, "recover lab down only removes what a lab recorded; remove other files yourself");
  });
  if (!state) {
    if (existsSync(dir))
      throw new InputError(`${dir} holds no lab (no state.json): nothing was touched`, "pass --dir with the directory of a lab");
    return { dir, found: false, done: [], leftovers: [] };
  }
  return { dir, found: true, ...(await teardown(state)) };
}
