/** Settings the replica scheduler reads (storage-minimal-available-percentage, storage-over-provisioning-percentage). */
export interface SchedulingSettings {
  minimalAvailablePercentage: number;
  overProvisioningPercentage: number;
}

export const DEFAULT_SCHEDULING: SchedulingSettings = { minimalAvailablePercentage: 25, overProvisioningPercentage: 100 };

/** scheduler.DiskSchedulingInfo: one disk's numbers as the scheduler weighs them. */
export interface DiskSchedulingInfo {
  storageMaximum: number;
  storageAvailable: number;
  storageScheduled: number;
  storageReserved: number;
}

/**
 * ReplicaScheduler.IsSchedulableToDisk: room for `size` more (after `required` more used) under
 * both the actual-space and the over-provisioning condition, with Longhorn's messages. Pure.
 */
export function isSchedulableToDisk(
  size: number,
  required: number,
  info: DiskSchedulingInfo,
  settings: SchedulingSettings,
): { ok: boolean; message: string } {
  if (info.storageMaximum <= 0) return { ok: false, message: "Storage Max must be greater than 0" };
  if (info.storageAvailable <= 0) return { ok: false, message: "Storage Available must be greater than 0" };
  const currentAvailable = info.storageAvailable - required;
  const minimalAvailable = Math.trunc((info.storageMaximum * settings.minimalAvailablePercentage) / 100);
  if (currentAvailable <= minimalAvailable)
    return {
      ok: false,
      message: `Actual space usage condition failed: CurrentAvailable = ${currentAvailable} (StorageAvailable - Required) is less than or equal to MinimalAvailable = ${minimalAvailable} (${settings.minimalAvailablePercentage}% of Storage Max).`,
    };
  const scheduledTotal = size + info.storageScheduled;
  const limit = Math.trunc(((info.storageMaximum - info.storageReserved) * settings.overProvisioningPercentage) / 100);
  if (scheduledTotal > limit)
    return {
      ok: false,
      message: `Scheduling space condition failed: ScheduledTotal = ${scheduledTotal} (Size + StorageScheduled) is greater than ProvisionedLimit = ${limit} (${settings.overProvisioningPercentage}% of StorageMax - StorageReserved). `,
    };
  return { ok: true, message: "" };
}
