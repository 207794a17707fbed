import { createHash } from "node:crypto";

/** Longhorn's CSI driver name, the attacher of its VolumeAttachments. */
export const LONGHORN_DRIVER = "driver.longhorn.io";

/**
 * The CSI VolumeAttachment's name as the external-attacher makes it (csi-<sha256 of volume handle,
 * driver, node>); Longhorn's attachment ticket for it carries the same id (stuck-volume-attachment
 * matches them).
 */
export const csiAttachmentName = (volume: string, node: string): string =>
  `csi-${createHash("sha256").update(`${volume}${LONGHORN_DRIVER}${node}`).digest("hex")}`;
