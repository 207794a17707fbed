import type { KubeReason } from "./types.js";

const SERVER_REASONS: Record<string, KubeReason> = {
  NotFound: "NotFound",
  AlreadyExists: "AlreadyExists",
  Conflict: "Conflict",
  Invalid: "Invalid",
  Forbidden: "Forbidden",
  Unauthorized: "Unauthorized",
  Timeout: "Timeout",
  ServerTimeout: "Timeout",
};

/** kubectl's own wording for failures that never reached a Status, in the order tested. */
const CLIENT_PATTERNS: [RegExp, KubeReason][] = [
  [/You must be logged in to the server|\(Unauthorized\)/, "Unauthorized"],
  [/Client\.Timeout exceeded|context deadline exceeded|i\/o timeout|timed out waiting for the condition|TLS handshake timeout/, "Timeout"],
  [
    // A bare "error: EOF" is kubectl's password prompt reading stdin's end (see kubeReason), not the network.
    /The connection to the server .* was refused|Unable to connect to the server|connection refused|no such host|connection reset by peer|": (unexpected )?EOF$/m,
    "Unreachable",
  ],
  [/^The \S+ "[^"]*" is invalid/m, "Invalid"],
];

/**
 * kubectl's prompt for a user name when the kubeconfig holds no credentials for a TLS server: it
 * reads the answer from stdin (the step's own stdin, or its end, "error: EOF").
 */
const CREDENTIALS_PROMPT = /Please enter (Username|Password): /;

/** Why a kubectl command failed, read from its stderr (and stdout, where kubectl prompts); "Other" when nothing known matches. */
export function kubeReason(stderr: string, stdout = ""): KubeReason {
  if (CREDENTIALS_PROMPT.test(stdout)) return "Unauthorized";
  const server = /Error from server \((\w+)\)/.exec(stderr);
  if (server?.[1]) return SERVER_REASONS[server[1]] ?? "Other";
  for (const [pattern, reason] of CLIENT_PATTERNS) if (pattern.test(stderr)) return reason;
  return "Other";
}

/** True when argv asks kubectl for JSON output (`-o json`, `-ojson`, `-o=json`, `--output json`, `--output=json`). */
export function wantsJson(argv: string[]): boolean {
  return argv.some((arg, i) => {
    if (arg === "-ojson" || arg === "-o=json" || arg === "--output=json") return true;
    return (arg === "-o" || arg === "--output") && argv[i + 1] === "json";
  });
}
