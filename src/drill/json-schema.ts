import * as z from "zod";
import { scenarioSchema } from "./scenario.js";

/** JSON Schema (draft 2020-12) for drill scenarios, generated from the same zod source as the types. */
export function drillJsonSchema(): Record<string, unknown> {
  return { ...z.toJSONSchema(scenarioSchema, { io: "input", unrepresentable: "any" }), title: "recover drill scenario" };
}
