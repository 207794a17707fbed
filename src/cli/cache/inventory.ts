import { resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { type LoadedInventory, loadInventoryFile } from "../../inventory/load.js";
import type { Inventory } from "../../inventory/schema.js";
import { readText } from "../../source/read-text.js";
import type { CacheStore } from "./store.js";

/** loadInventoryFile, remembered while the file and the build of recover stay the same; only a valid inventory is kept. */
export function cachedInventory(file: string, store: CacheStore | undefined): LoadedInventory {
  if (!store) return loadInventoryFile(file);
  const text = readText(file, "inventory");
  const key = ["inventory", resolve(file), text];
  const inventory = store.get<Inventory>(key);
  if (inventory) return { file, inventory };
  const loaded = loadInventoryFile(file);
  // Kept only when the file did not change while it was read twice, and the value survives the trip through JSON.
  const unchanged = readText(file, "inventory") === text;
  if (unchanged && isDeepStrictEqual(JSON.parse(JSON.stringify(loaded.inventory)), loaded.inventory)) store.put(key, loaded.inventory);
  return loaded;
}
