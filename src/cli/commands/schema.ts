import { inventoryJsonSchema } from "../../inventory/json-schema.js";
import { runbookJsonSchema } from "../../runbook/json-schema.js";

/** `recover schema [runbook|inventory]`: the JSON Schema editors use to complete and check files. */
export function schemaCommand(kind: "runbook" | "inventory"): void {
  const schema = kind === "inventory" ? inventoryJsonSchema() : runbookJsonSchema();
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
}
