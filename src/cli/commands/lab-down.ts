import { RecoverError } from "../../errors.js";
import { labDown } from "../../lab/down.js";

/** `recover lab down`: removes the lab; exit 1 naming what is left when something cannot be undone. */
export async function labDownCommand(opts: { dir?: string }): Promise<void> {
  const report = await labDown(opts.dir);
  if (!report.found) {
    process.stdout.write(`no lab in ${report.dir}: nothing to do\n`);
    return;
  }
  for (const line of report.done) process.stdout.write(`  ${line}\n`);
  if (report.leftovers.length > 0)
    throw new RecoverError(
      `the lab in ${report.dir} is not fully removed:\n  ${report.leftovers.join("\n  ")}\nits state.json is kept: run recover lab down --dir ${report.dir} again`,
    );
  process.stdout.write(`lab ${report.dir} removed\n`);
}
