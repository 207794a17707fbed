import { CacheStore } from "./store.js";

/** Set by scripts/bundle.js to a hash of the bundle; absent when recover runs from its modules (tests, benchmarks). */
declare const __RECOVER_BUILD__: string | undefined;

let store: CacheStore | undefined | null = null;

/** The cache of validated runbooks and inventories for this run, when it runs from the bundle. */
export function userCache(): CacheStore | undefined {
  if (store === null) {
    const build = typeof __RECOVER_BUILD__ === "string" ? __RECOVER_BUILD__ : undefined;
    store = build ? CacheStore.forUser(build, process.env) : undefined;
  }
  return store;
}
