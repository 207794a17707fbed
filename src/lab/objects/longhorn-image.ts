/** Longhorn's image tags for the lab's version (v1.9.2). */
export const longhornImage = (component: "manager" | "engine" | "instance-manager", version: string): string =>
  `longhornio/longhorn-${component}:v${version}`;
