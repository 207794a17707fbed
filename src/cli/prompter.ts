import { password } from "@inquirer/prompts";
import { AbortedError } from "../transports/errors.js";
import type { SecretPrompter } from "../transports/types.js";

/**
 * Asks for secrets on the terminal (nothing echoed; prompts go to stderr so stdout stays clean),
 * one at a time even when several hosts ask at once. Undefined without a terminal: then a
 * transport that needs a secret fails with a clear error instead of hanging.
 */
export function terminalPrompter(): SecretPrompter | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  let queue: Promise<unknown> = Promise.resolve();
  return {
    secret(message: string, options: { signal?: AbortSignal } = {}): Promise<string> {
      const { signal } = options;
      const withdrawn = () => new AbortedError("the question was withdrawn: nothing waits for the answer any more", { target: "local" });
      const asked = queue.then(() => {
        if (signal?.aborted) throw withdrawn();
        return password({ message }, { input: process.stdin, output: process.stderr, clearPromptOnDone: true, signal }).catch(
          (error: unknown) => {
            if (error instanceof Error && error.name === "ExitPromptError")
              throw new AbortedError("cancelled at the prompt; nothing more was sent", { target: "local" });
            if (error instanceof Error && error.name === "AbortPromptError") throw withdrawn();
            throw error;
          },
        );
      });
      queue = asked.catch(() => undefined);
      return asked;
    },
  };
}
