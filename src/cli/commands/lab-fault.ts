import { InputError } from "../../errors.js";
import { clearFaults, injectFault, listFaults } from "../../lab/fault-client.js";
import { parseFault } from "../../lab/faults/lab-fault.js";

/** `recover lab fault KIND [TARGET]`, `recover lab fault list`, `recover lab fault clear [ID]`. */
export async function labFaultCommand(kind: string, target: string | undefined, opts: { dir?: string }): Promise<void> {
  if (kind === "list") {
    const faults = await listFaults(opts.dir);
    process.stdout.write(
      faults.length === 0 ? "no faults\n" : faults.map((f) => `${f.id}  ${f.description}${f.undoable ? "" : "  (stays)"}\n`).join(""),
    );
    return;
  }
  if (kind === "clear") {
    const id = target === undefined ? undefined : Number(target);
    if (id !== undefined && !Number.isInteger(id))
      throw new InputError(`fault clear ${target}: expected a fault id (recover lab fault list)`);
    for (const line of await clearFaults(opts.dir, id)) process.stdout.write(`${line}\n`);
    return;
  }
  const info = await injectFault(opts.dir, parseFault(kind, target));
  process.stdout.write(
    `fault ${info.id}: ${info.description}${info.undoable ? ` (undo: recover lab fault clear ${info.id})` : " (changes data: clear forgets it, does not restore)"}\n`,
  );
}
