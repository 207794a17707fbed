import { InputError } from "../errors.js";
import { callControl } from "./daemon/control-server.js";
import type { FaultInfo } from "./daemon/fault-injector.js";
import type { LabFault } from "./faults/lab-fault.js";
import { resolveLabDir } from "./paths.js";
import { readState } from "./state/state-file.js";

/** The control socket of the running lab in DIR; an InputError when there is none. */
async function controlSocket(dirOption: string | undefined): Promise<string> {
  const dir = resolveLabDir(dirOption);
  const state = await readState(dir);
  if (!state) throw new InputError(`no lab in ${dir}`, `start one with: recover lab up${dirOption ? ` --dir ${dir}` : ""}`);
  if (state.phase !== "up" || !state.facts.controlSocket) throw new InputError(`the lab in ${dir} is ${state.phase}, not up`);
  return state.facts.controlSocket;
}

/** Asks the lab's daemon to inject a fault; resolves with its id and description. */
export async function injectFault(dir: string | undefined, fault: LabFault): Promise<FaultInfo> {
  return (await callControl(await controlSocket(dir), "POST", "/faults", fault)) as FaultInfo;
}

export async function listFaults(dir: string | undefined): Promise<FaultInfo[]> {
  return (await callControl(await controlSocket(dir), "GET", "/faults")) as FaultInfo[];
}

/** Takes back one fault, or all of them; resolves with what was done. */
export async function clearFaults(dir: string | undefined, id?: number): Promise<string[]> {
  return (await callControl(await controlSocket(dir), "POST", "/faults/clear", id === undefined ? {} : { id })) as string[];
}
