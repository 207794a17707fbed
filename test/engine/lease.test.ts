import { describe, expect, it } from "vitest";
import { holderIdentity, leaseState } from "../../src/engine/lease.js";

const lease = (holder: string, renewTime: string) => ({
  metadata: { name: "recover-ssh-k3s1", namespace: "kube-system" },
  spec: { holderIdentity: holder, leaseDurationSeconds: 60, renewTime },
});
const now = Date.parse("2026-01-01T12:00:30Z");
const live = "2026-01-01T12:00:00.000000Z";
const old = "2026-01-01T11:58:00.000000Z";

describe("leaseState", () => {
  it("the run's own lease is its own from the same host, whoever held it there", () => {
    expect(leaseState(lease(holderIdentity("laptop", 1, "r1"), live), "r1", now, "laptop")).toBe("mine");
    expect(leaseState(lease(holderIdentity("laptop", 1, "r1"), live), "r1", now)).toBe("mine");
  });

  it("from another host (resume --from-git), the run's own live lease is held until it runs out", () => {
    expect(leaseState(lease(holderIdentity("lost-laptop", 1, "r1"), live), "r1", now, "spare")).toBe("held");
    expect(leaseState(lease(holderIdentity("lost-laptop", 1, "r1"), old), "r1", now, "spare")).toBe("expired");
  });

  it("another run's lease is held while live, expired after", () => {
    expect(leaseState(lease(holderIdentity("laptop", 1, "r2"), live), "r1", now, "laptop")).toBe("held");
    expect(leaseState(lease(holderIdentity("laptop", 1, "r2"), old), "r1", now, "laptop")).toBe("expired");
    expect(leaseState(lease("", live), "r1", now, "laptop")).toBe("free");
  });
});
