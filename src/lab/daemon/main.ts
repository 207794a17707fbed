/**
 * The lab's daemon: `recover lab up` starts it detached (node dist/lab/daemon/main.js DIR); it
 * builds the lab, recording everything in DIR/state.json first, owns the nodes' sshds and
 * namespaces and the API emulator, serves DIR/control.sock, and stops on SIGTERM. Its output
 * goes to DIR/lab.log, which `up` relays.
 */

import type { LabFault } from "../faults/lab-fault.js";
import { ensureLabSystem } from "../sshd/system-setup.js";
import { identify } from "../state/process-identity.js";
import { StateRecorder } from "../state/recorder.js";
import { buildLab, type RunningLab } from "./build-lab.js";
import { startControlServer } from "./control-server.js";
import { controlSocketPath, DAEMON_ID } from "./daemon-files.js";
import { FaultInjector, type SshdState } from "./fault-injector.js";
import { kubeconfigPath } from "./start-cluster.js";
import { startControllers } from "./start-controllers.js";
import { liveStatus } from "./status-route.js";
import { watchPartitions } from "./udev-watch.js";

const log = (line: string): void => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) process.once(signal, () => resolve(signal));
  });
}

async function main(dir: string): Promise<number> {
  const stop = signalled();
  const recorder = await StateRecorder.open(dir);
  const me = await identify(process.pid);
  if (me) await recorder.complete(DAEMON_ID, { process: me });
  let lab: RunningLab | undefined;
  try {
    const system = await ensureLabSystem({ log });
    lab = await Promise.race([
      buildLab(recorder, system, log),
      stop.then((s) => Promise.reject(new Error(`stopped by ${s} while building`))),
    ]);
  } catch (error) {
    const message = (error as Error).message;
    log(`failed: ${message}`);
    await recorder.setPhase("failed", message);
    return 1;
  }
  const running = lab;
  const faults = new FaultInjector(running, recorder, new Map<string, SshdState>());
  const stopUdev = watchPartitions(running.nodes, running.disks, log);
  const stopControllers = startControllers(running, faults, kubeconfigPath(dir), log);
  const control = await startControlServer(controlSocketPath(dir), {
    "GET /status": async () => ({ ...(await liveStatus(running, faults.sshdStates)), faults: faults.list() }),
    "GET /faults": async () => faults.list(),
    "POST /faults": async (body) => {
      const info = await faults.inject(body as LabFault);
      log(`fault ${info.id}: ${info.description}`);
      return info;
    },
    "POST /faults/clear": async (body) => faults.clear((body as { id?: number } | undefined)?.id),
  });
  await recorder.addFacts({ controlSocket: controlSocketPath(dir) });
  await recorder.setPhase("up");
  log("up");
  const signal = await stop;
  log(`${signal}: stopping`);
  stopUdev();
  stopControllers();
  await control.close();
  await running.close();
  log("stopped");
  return 0;
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: main.js LAB_DIR (started by recover lab up)\n");
  process.exit(2);
}
main(dir).then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`daemon error: ${(error as Error)?.stack ?? String(error)}`);
    process.exit(70);
  },
);
