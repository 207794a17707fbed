import { drillJsonSchema } from "../../drill/json-schema.js";
import { inventoryJsonSchema } from "../../inventory/json-schema.js";
import { runbookJsonSchema } from "../../runbook/json-schema.js";

/** `recover schema [runbook|inventory|drill]`: the JSON Schema editors use to complete and check files. */
export function schemaCommand(kind: "runbook" | "inventory" | "drill"): void {
  const schema = kind === "inventory" ? inventoryJsonSchema() : kind === "drill" ? drillJsonSchema() : runbookJsonSchema();
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
}
