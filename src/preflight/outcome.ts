/** One line of `recover check`: what was checked, whether it holds, and what was seen or what to do. */
export interface CheckOutcome {
  subject: string;
  ok: boolean;
  detail: string;
}

/** The first line of an error's message, for a one-line report; the rest follows indented. */
export const errorDetail = (error: unknown): string => (error instanceof Error ? error.message : String(error));
