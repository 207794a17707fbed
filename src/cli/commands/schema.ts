import { inventoryJsonSchema } from "../../inventory/json-schema.js";
import { runbookJsonSchema } from "../../runbook/json-schema.js";

export function schemaCommand(opts: { inventory?: boolean }): void {
  const schema = opts.inventory ? inventoryJsonSchema() : runbookJsonSchema();
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
}
