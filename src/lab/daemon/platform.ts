import type { ControllerLike, KubeClientLike } from "../controllers/platform.js";
import type { RunningLab } from "./build-lab.js";

/** The emulator's controller platform (issue 11), where it is there. */
export interface Platform {
  startController(controller: ControllerLike): () => void;
  client(fieldManager: string): KubeClientLike;
  admission?: { register(hook: unknown): () => void };
}

/** The platform of the lab's emulator, or undefined on one without it. */
export function platformOf(lab: RunningLab): Platform | undefined {
  const api = lab.api as unknown as Partial<Platform>;
  return typeof api.startController === "function" && typeof api.client === "function" ? (api as Platform) : undefined;
}
