import * as z from "zod";
import { inventorySchema } from "./schema.js";

/** JSON Schema (draft 2020-12) for inventories, generated from the same zod source as the types. */
export function inventoryJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(inventorySchema, { io: "input" }), title: "recover inventory" };
}
