import * as z from "zod";
import { runbookSchema } from "./schema.js";

/** JSON Schema (draft 2020-12) for runbooks, generated from the same zod source as the types. */
export function runbookJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(runbookSchema, { io: "input" }), title: "recover runbook" };
}
