import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

const POLL_MS = 25;

/** Connects once and resolves true when the peer greets with an SSH banner. */
function greets(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address, port });
    let seen = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on("error", () => done(false));
    socket.on("close", () => done(seen.startsWith("SSH-")));
    socket.on("data", (chunk) => {
      seen += chunk.toString("latin1");
      if (seen.includes("\n")) done(seen.startsWith("SSH-"));
    });
  });
}

/**
 * Waits until an SSH server answers on address:port with its banner. `stillRunning` is asked
 * between attempts so a server that died at start fails fast instead of at the deadline.
 */
export async function waitForBanner(
  address: string,
  port: number,
  options: { timeoutMs: number; stillRunning: () => Promise<boolean> },
): Promise<"ready" | "exited" | "timeout"> {
  const deadline = performance.now() + options.timeoutMs;
  while (performance.now() < deadline) {
    if (!(await options.stillRunning())) return "exited";
    if (await greets(address, port)) return "ready";
    await sleep(POLL_MS);
  }
  return "timeout";
}
