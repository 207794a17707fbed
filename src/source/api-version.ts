/** The apiVersion of every file recover reads: runbooks and inventories. */
export const API_VERSION = "recover/v1";
