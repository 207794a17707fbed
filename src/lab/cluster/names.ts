import { randomBytes, randomUUID } from "node:crypto";

/** Random parts of object names, injected so seeds can be built deterministically in tests. */
export interface NameSource {
  /** `xxxxxxxx-xxxx-…` (volume and disk UUIDs, object uids). */
  uuid(): string;
  /** n lowercase hex digits (replica, engine and pod name suffixes). */
  hex(n: number): string;
  /** n characters of Kubernetes' generateName alphabet (pod name suffixes). */
  suffix(n: number): string;
}

const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export const randomNames: NameSource = {
  uuid: () => randomUUID(),
  hex: (n) =>
    randomBytes(Math.ceil(n / 2))
      .toString("hex")
      .slice(0, n),
  suffix: (n) => [...randomBytes(n)].map((b) => ALPHABET[b % ALPHABET.length]).join(""),
};

/** Names that count up: the same seed every time (tests). */
export function countingNames(): NameSource {
  let n = 0;
  const next = () => ++n;
  return {
    uuid: () => `00000000-0000-4000-8000-${String(next()).padStart(12, "0")}`,
    hex: (len) => String(next()).padStart(len, "0"),
    suffix: (len) => String(next()).padStart(len, "b"),
  };
}
