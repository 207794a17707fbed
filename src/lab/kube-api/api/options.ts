/** What a caller of the API layer says about a write (the query parameters of the real API, parsed). */

/** How unknown fields are treated (`fieldValidation`): refused, warned about, or dropped silently. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

export interface WriteOptions {
  /** Who writes: recorded in managedFields. */
  fieldManager: string;
  /** Check, default and admit, but store nothing (`dryRun=All`). */
  dryRun?: boolean;
  /** Write only status (the status subresource). */
  subresource?: "status";
  fieldValidation?: FieldValidation;
  /** Told about each warning for the client (unknown fields dropped under fieldValidation=Warn). */
  warn?: WarningSink;
}

/** The four patch types of the real API. */
export type PatchType = "merge" | "json" | "strategic" | "apply";

export interface PatchOptions extends WriteOptions {
  /** Server-side apply: take fields other managers own instead of failing with a conflict. */
  force?: boolean;
}

/** DeleteOptions the emulator honours. */
export interface DeleteRequestOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Warnings for the client (the `Warning` response header), collected while a request runs. */
export type WarningSink = (message: string) => void;
