import { labStatus } from "../../lab/status.js";
import { renderStatus } from "../../lab/status-text.js";

/** `recover lab status`: the recorded lab, what still runs, and the cluster's state (text or --json). */
export async function labStatusCommand(opts: { dir?: string; json?: boolean }): Promise<void> {
  const status = await labStatus(opts.dir);
  if (opts.json)
    process.stdout.write(
      `${JSON.stringify({ ...status, running: Object.fromEntries(status.running), mounts: Object.fromEntries([...status.mounts].map(([n, m]) => [n, Object.fromEntries(m)])) }, null, 2)}\n`,
    );
  else process.stdout.write(renderStatus(status));
}
