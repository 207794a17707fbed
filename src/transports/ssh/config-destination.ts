/** The destination as ssh accepts it on its command line. */
import { InputError } from "../../errors.js";
import { parsePort } from "./config-options.js";

/** `user@host`, `ssh://[user@]host[:port]` or a bare alias. */
export function parseDestination(destination: string): { host: string; user?: string; port?: number } {
  const uri = /^ssh:\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(destination);
  if (uri !== null) {
    const host = (uri[2] ?? "").replace(/^\[(.*)\]$/, "$1");
    return { host, user: uri[1], port: uri[3] === undefined ? undefined : toPort(uri[3], destination) };
  }
  const at = destination.lastIndexOf("@");
  if (at > 0) return { host: destination.slice(at + 1), user: destination.slice(0, at) };
  if (destination === "" || at === 0) throw new InputError(`"${destination}" is not a host name`, "Give a host alias such as k3s1.");
  return { host: destination };
}

function toPort(text: string, destination: string): number {
  try {
    return parsePort(text);
  } catch {
    throw new InputError(`Bad port in ${destination}`, "Use a port between 1 and 65535.");
  }
}
