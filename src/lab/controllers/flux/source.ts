import type { KubeObject } from "../../kube-api/index.js";

/** What Flux's controllers fetch from Git: the branch's revision, and the objects a path builds to. */
export interface GitSource {
  /** `main@sha1:<commit>` of the remote's branch now. */
  revision(): Promise<string>;
  /** `kustomize build` of `path` at `revision` (a kustomization.yaml generated where the path has none). */
  build(revision: string, path: string): Promise<KubeObject[]>;
}

/** Async work reconciles (which are synchronous) start and come back to: one result per key, started once. */
export class Pending<T> {
  private readonly results = new Map<string, { done: true; value: T } | { done: true; error: Error } | { done: false }>();

  /** The finished result for `key`, or undefined after starting `work` (then `onDone` runs when it finishes). */
  get(key: string, work: () => Promise<T>, onDone: () => void): { value: T } | { error: Error } | undefined {
    const found = this.results.get(key);
    if (found?.done) return "value" in found ? { value: found.value } : { error: found.error };
    if (!found) {
      this.results.set(key, { done: false });
      work().then(
        (value) => {
          this.results.set(key, { done: true, value });
          onDone();
        },
        (error: unknown) => {
          this.results.set(key, { done: true, error: error instanceof Error ? error : new Error(String(error)) });
          onDone();
        },
      );
    }
    return undefined;
  }

  forget(key: string): void {
    this.results.delete(key);
  }
}
