import { describe, expect, it } from "vitest";
import { humanDuration } from "../../../../src/lab/kube-api/printers/age.js";
import { toTable } from "../../../../src/lab/kube-api/printers/table.js";
import { builtinTypes } from "../../../../src/lab/kube-api/registry/builtins.js";
import { crdResourceType } from "../../../../src/lab/kube-api/registry/crd.js";
import type { KubeObject, ResourceType } from "../../../../src/lab/kube-api/types.js";
import { loadCrds } from "../lab-crds.js";

const NOW = Date.parse("2025-06-01T12:00:00Z");
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** An RFC3339 timestamp `ms` before NOW, as the server stores them. */
const ago = (ms: number): string => new Date(NOW - ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const builtin = (group: string, resource: string): ResourceType => {
  const type = builtinTypes().find((t) => t.group === group && t.resource === resource);
  if (!type) throw new Error(`no built-in ${resource}.${group}`);
  return type;
};
const custom = (name: string): ResourceType => {
  const crd = loadCrds().find((c) => c.metadata.name === name);
  if (!crd) throw new Error(`no fixture CRD ${name}`);
  return crdResourceType(crd);
};

function object(
  apiVersion: string,
  kind: string,
  name: string,
  rest: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): KubeObject {
  return { apiVersion, kind, metadata: { name, resourceVersion: "42", creationTimestamp: ago(5 * MINUTE), ...meta }, ...rest };
}

/** Column names and the first row's cells. */
function printed(type: ResourceType, objects: KubeObject[]) {
  const table = toTable(type, objects, { now: NOW });
  return { columns: table.columnDefinitions?.map((c) => c.name), rows: table.rows.map((r) => r.cells), table };
}

describe("humanDuration", () => {
  it.each([
    [-2 * SECOND, "<invalid>"],
    [-1 * SECOND, "0s"],
    [0, "0s"],
    [SECOND, "1s"],
    [70 * SECOND, "70s"],
    [119 * SECOND, "119s"],
    [2 * MINUTE, "2m"],
    [190 * SECOND, "3m10s"],
    [10 * MINUTE, "10m"],
    [70 * MINUTE, "70m"],
    [3 * HOUR, "3h"],
    [3 * HOUR + 5 * MINUTE, "3h5m"],
    [8 * HOUR, "8h"],
    [47 * HOUR, "47h"],
    [48 * HOUR, "2d"],
    [49 * HOUR, "2d1h"],
    [(8 * 24 + 2) * HOUR, "8d"],
    [367 * DAY, "367d"],
    [(365 * 2 * 24 + 25) * HOUR, "2y1d"],
    [(365 * 8 * 24 + 2) * HOUR, "8y"],
  ])("%d ms → %s (apimachinery's table)", (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe("toTable for custom resources", () => {
  const lhn = custom("nodes.longhorn.io");

  it("prints Name first, then the CRD's columns, with ages computed on the server", () => {
    const node = object(
      "longhorn.io/v1beta2",
      "Node",
      "k3s1",
      {
        spec: { allowScheduling: true },
        status: {
          conditions: [
            { type: "Ready", status: "True" },
            { type: "Schedulable", status: "False" },
          ],
        },
      },
      { namespace: "longhorn-system", creationTimestamp: ago(10 * MINUTE) },
    );
    const { columns, rows, table } = printed(lhn, [node]);
    expect(columns).toEqual(["Name", "Ready", "AllowScheduling", "Schedulable", "Age"]);
    expect(rows).toEqual([["k3s1", "True", true, "False", "10m"]]);
    expect(table.columnDefinitions?.[0]).toEqual({
      name: "Name",
      type: "string",
      format: "name",
      description: expect.stringContaining("Name must be unique within a namespace"),
      priority: 0,
    });
    expect(table.columnDefinitions?.[2]).toEqual({
      name: "AllowScheduling",
      type: "boolean",
      format: "",
      description: "Indicate whether the user disabled/enabled replica scheduling for the node",
      priority: 0,
    });
    expect(table.columnDefinitions?.[4]?.description).toBe(
      "Custom resource definition column (in JSONPath format): .metadata.creationTimestamp",
    );
  });

  it("leaves missing values empty (null) instead of inventing them", () => {
    const volume = object("longhorn.io/v1beta2", "Volume", "pvc-1", { spec: { size: "1073741824" } }, { namespace: "longhorn-system" });
    const { columns, rows } = printed(custom("volumes.longhorn.io"), [volume]);
    expect(columns).toEqual(["Name", "Data Engine", "State", "Robustness", "Scheduled", "Size", "Node", "Age"]);
    expect(rows[0]).toEqual(["pvc-1", null, null, null, null, "1073741824", null, "5m"]);
  });

  it("prints Flux readiness and the Ready message", () => {
    const ks = object("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "apps", {
      status: { conditions: [{ type: "Ready", status: "False", message: "kustomization path not found" }] },
    });
    expect(printed(custom("kustomizations.kustomize.toolkit.fluxcd.io"), [ks]).rows[0]).toEqual([
      "apps",
      "5m",
      "False",
      "kustomization path not found",
    ]);
  });

  it("converts cells by column type as the apiextensions table convertor does", () => {
    const type: ResourceType = {
      ...lhn,
      printerColumns: [
        { name: "Int", type: "integer", jsonPath: ".spec.n" },
        { name: "IntFromText", type: "integer", jsonPath: ".spec.text" },
        { name: "Number", type: "number", jsonPath: ".spec.f" },
        { name: "NumberAsText", type: "string", jsonPath: ".spec.n" },
        { name: "Object", type: "string", jsonPath: ".spec.map" },
        { name: "List", type: "string", jsonPath: ".spec.list" },
        { name: "BoolFromText", type: "boolean", jsonPath: ".spec.text" },
        { name: "BadDate", type: "date", jsonPath: ".spec.text" },
        { name: "DateFromNumber", type: "date", jsonPath: ".spec.n" },
        { name: "Null", type: "string", jsonPath: ".spec.nothing" },
      ],
    };
    const obj = object("longhorn.io/v1beta2", "Node", "x", {
      spec: { n: 3.9, f: 1.5, text: "yes", map: { b: 2, a: "x" }, list: ["p", "q"], nothing: null },
    });
    expect(printed(type, [obj]).rows[0]).toEqual(["x", 3, null, 1.5, "3.9", "map[a:x b:2]", "[p q]", null, "<invalid>", null, null]);
  });

  it("shows only Name and Age for a CRD without printer columns", () => {
    const bare: ResourceType = { ...lhn, printerColumns: [] };
    const { columns, rows, table } = printed(bare, [object("longhorn.io/v1beta2", "Node", "x")]);
    expect(columns).toEqual(["Name", "Age"]);
    expect(table.columnDefinitions?.[1]?.type).toBe("date");
    expect(rows[0]).toEqual(["x", "5m"]);
  });
});

describe("toTable for built-ins", () => {
  it("prints nodes as NAME STATUS ROLES AGE VERSION plus wide columns", () => {
    const ready = object(
      "v1",
      "Node",
      "k3s1",
      {
        spec: {},
        status: {
          conditions: [
            { type: "MemoryPressure", status: "False" },
            { type: "Ready", status: "True" },
          ],
          nodeInfo: {
            kubeletVersion: "v1.32.5+k3s1",
            osImage: "Ubuntu 24.04",
            kernelVersion: "6.8.0",
            containerRuntimeVersion: "containerd://2.0",
          },
          addresses: [
            { type: "Hostname", address: "k3s1" },
            { type: "InternalIP", address: "127.0.0.11" },
          ],
        },
      },
      {
        labels: { "node-role.kubernetes.io/master": "true", "node-role.kubernetes.io/control-plane": "true", "kubernetes.io/role": "etcd" },
      },
    );
    const cordoned = object("v1", "Node", "k3s2", {
      spec: { unschedulable: true },
      status: { conditions: [{ type: "Ready", status: "Unknown" }] },
    });
    const unknown = object("v1", "Node", "k3s3", { status: {} }, { labels: { "node-role.kubernetes.io/": "" } });
    const { columns, rows, table } = printed(builtin("", "nodes"), [ready, cordoned, unknown]);
    expect(columns).toEqual([
      "Name",
      "Status",
      "Roles",
      "Age",
      "Version",
      "Internal-IP",
      "External-IP",
      "OS-Image",
      "Kernel-Version",
      "Container-Runtime",
    ]);
    expect(table.columnDefinitions?.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
    expect(rows).toEqual([
      [
        "k3s1",
        "Ready",
        "control-plane,etcd,master",
        "5m",
        "v1.32.5+k3s1",
        "127.0.0.11",
        "<none>",
        "Ubuntu 24.04",
        "6.8.0",
        "containerd://2.0",
      ],
      ["k3s2", "NotReady,SchedulingDisabled", "<none>", "5m", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"],
      ["k3s3", "Unknown", "<none>", "5m", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"],
    ]);
  });

  describe("pods", () => {
    const pods = builtin("", "pods");
    const pod = (name: string, spec: Record<string, unknown>, status: Record<string, unknown>, meta: Record<string, unknown> = {}) =>
      object("v1", "Pod", name, { spec, status }, { namespace: "default", ...meta });
    const running = { running: { startedAt: ago(HOUR) } };

    it("prints NAME READY STATUS RESTARTS AGE and the wide columns at priority 1", () => {
      const web = pod(
        "web-0",
        { nodeName: "k3s1", containers: [{ name: "a" }, { name: "b" }], readinessGates: [{ conditionType: "example.com/gate" }] },
        {
          phase: "Running",
          podIPs: [{ ip: "10.42.0.5" }],
          conditions: [
            { type: "Ready", status: "True" },
            { type: "example.com/gate", status: "True" },
          ],
          containerStatuses: [
            { name: "a", ready: true, restartCount: 2, state: running, lastState: { terminated: { finishedAt: ago(5 * MINUTE) } } },
            { name: "b", ready: true, restartCount: 0, state: running },
          ],
        },
      );
      const { columns, rows, table } = printed(pods, [web]);
      expect(columns).toEqual(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"]);
      expect(table.columnDefinitions?.map((c) => c.priority)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1]);
      expect(rows[0]).toEqual(["web-0", "2/2", "Running", "2 (5m ago)", "5m", "10.42.0.5", "k3s1", "<none>", "1/1"]);
    });

    it.each([
      {
        name: "a crash loop",
        pod: [
          { containers: [{ name: "a" }] },
          {
            phase: "Running",
            containerStatuses: [{ name: "a", ready: false, restartCount: 7, state: { waiting: { reason: "CrashLoopBackOff" } } }],
          },
          {},
        ],
        ready: "0/1",
        reason: "CrashLoopBackOff",
        restarts: "7",
      },
      {
        name: "an unscheduled pod",
        pod: [{ containers: [{ name: "a" }] }, { phase: "Pending" }, {}],
        ready: "0/1",
        reason: "Pending",
        restarts: "0",
      },
      {
        name: "a gated pod",
        pod: [
          { containers: [{ name: "a" }] },
          { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "SchedulingGated" }] },
          {},
        ],
        ready: "0/1",
        reason: "SchedulingGated",
        restarts: "0",
      },
      {
        name: "an evicted pod",
        pod: [{ containers: [{ name: "a" }] }, { phase: "Failed", reason: "Evicted" }, {}],
        ready: "0/1",
        reason: "Evicted",
        restarts: "0",
      },
      {
        name: "a finished job pod",
        pod: [
          { containers: [{ name: "a" }] },
          { phase: "Succeeded", containerStatuses: [{ name: "a", state: { terminated: { exitCode: 0, reason: "Completed" } } }] },
          {},
        ],
        ready: "0/1",
        reason: "Completed",
        restarts: "0",
      },
      {
        name: "a killed container",
        pod: [
          { containers: [{ name: "a" }] },
          { phase: "Running", containerStatuses: [{ name: "a", state: { terminated: { exitCode: 137, signal: 9 } } }] },
          {},
        ],
        ready: "0/1",
        reason: "Signal:9",
        restarts: "0",
      },
      {
        name: "a failed exit",
        pod: [
          { containers: [{ name: "a" }] },
          { phase: "Running", containerStatuses: [{ name: "a", state: { terminated: { exitCode: 2 } } }] },
          {},
        ],
        ready: "0/1",
        reason: "ExitCode:2",
        restarts: "0",
      },
      {
        name: "waiting on its first init container",
        pod: [
          { initContainers: [{ name: "i" }], containers: [{ name: "a" }] },
          { phase: "Pending", initContainerStatuses: [{ name: "i", state: { running: {} } }] },
          {},
        ],
        ready: "0/1",
        reason: "Init:0/1",
        restarts: "0",
      },
      {
        name: "a failed init container",
        pod: [
          { initContainers: [{ name: "i" }], containers: [{ name: "a" }] },
          {
            phase: "Pending",
            initContainerStatuses: [{ name: "i", restartCount: 3, state: { terminated: { exitCode: 1, reason: "Error" } } }],
          },
          {},
        ],
        ready: "0/1",
        reason: "Init:Error",
        restarts: "3",
      },
      {
        name: "an init container backing off",
        pod: [
          { initContainers: [{ name: "i" }], containers: [{ name: "a" }] },
          { phase: "Pending", initContainerStatuses: [{ name: "i", state: { waiting: { reason: "CrashLoopBackOff" } } }] },
          {},
        ],
        ready: "0/1",
        reason: "Init:CrashLoopBackOff",
        restarts: "0",
      },
      {
        name: "a running sidecar",
        pod: [
          { initContainers: [{ name: "s", restartPolicy: "Always" }], containers: [{ name: "a" }] },
          {
            phase: "Running",
            conditions: [{ type: "Initialized", status: "True" }],
            initContainerStatuses: [{ name: "s", started: true, ready: true, state: { running: {} } }],
            containerStatuses: [{ name: "a", ready: true, state: { running: {} } }],
          },
          {},
        ],
        ready: "2/2",
        reason: "Running",
        restarts: "0",
      },
      {
        name: "a pod being deleted",
        pod: [
          { containers: [{ name: "a" }] },
          { phase: "Running", containerStatuses: [{ name: "a", ready: true, state: { running: {} } }] },
          { deletionTimestamp: ago(0) },
        ],
        ready: "1/1",
        reason: "Terminating",
        restarts: "0",
      },
      {
        name: "a pod on a lost node",
        pod: [{ containers: [{ name: "a" }] }, { phase: "Running", reason: "NodeLost" }, { deletionTimestamp: ago(0) }],
        ready: "0/1",
        reason: "Unknown",
        restarts: "0",
      },
      {
        name: "a completed pod with a running sidecar-like container",
        pod: [
          { containers: [{ name: "a" }, { name: "b" }] },
          {
            phase: "Running",
            conditions: [{ type: "Ready", status: "False" }],
            containerStatuses: [
              { name: "a", ready: true, state: { running: {} } },
              { name: "b", state: { terminated: { exitCode: 0, reason: "Completed" } } },
            ],
          },
          {},
        ],
        ready: "1/2",
        reason: "NotReady",
        restarts: "0",
      },
    ] as const)("$name → READY $ready STATUS $reason RESTARTS $restarts", ({ pod: [spec, status, meta], ready, reason, restarts }) => {
      const row = printed(pods, [pod("p", spec, status, meta)]).rows[0];
      expect(row?.slice(1, 4)).toEqual([ready, reason, restarts]);
    });

    it("marks finished pods with a Completed row condition, as kubectl's --show-all logic expects", () => {
      const done = toTable(pods, [pod("done", { containers: [] }, { phase: "Succeeded" })], { now: NOW });
      expect(done.rows[0]?.conditions).toEqual([
        { type: "Completed", status: "True", reason: "Succeeded", message: "The pod has completed successfully." },
      ]);
      const failed = toTable(pods, [pod("failed", { containers: [] }, { phase: "Failed" })], { now: NOW });
      expect(failed.rows[0]?.conditions?.[0]?.reason).toBe("Failed");
      const running = toTable(pods, [pod("run", { containers: [] }, { phase: "Running" })], { now: NOW });
      expect(running.rows[0]).not.toHaveProperty("conditions");
    });
  });

  it("prints namespaces as NAME STATUS AGE", () => {
    const ns = object("v1", "Namespace", "longhorn-system", { status: { phase: "Active" } }, { creationTimestamp: ago(3 * DAY) });
    expect(printed(builtin("", "namespaces"), [ns])).toMatchObject({
      columns: ["Name", "Status", "Age"],
      rows: [["longhorn-system", "Active", "3d"]],
    });
  });

  it("prints persistent volumes and claims with capacity, modes and class", () => {
    const pv = object("v1", "PersistentVolume", "pvc-1", {
      spec: {
        capacity: { storage: "10Gi" },
        accessModes: ["ReadWriteMany", "ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Delete",
        claimRef: { namespace: "apps", name: "data" },
        storageClassName: "longhorn",
        volumeMode: "Filesystem",
      },
      status: { phase: "Bound" },
    });
    const { columns, rows } = printed(builtin("", "persistentvolumes"), [pv]);
    expect(columns).toEqual([
      "Name",
      "Capacity",
      "Access Modes",
      "Reclaim Policy",
      "Status",
      "Claim",
      "StorageClass",
      "VolumeAttributesClass",
      "Reason",
      "Age",
      "VolumeMode",
    ]);
    expect(rows[0]).toEqual(["pvc-1", "10Gi", "RWO,RWX", "Delete", "Bound", "apps/data", "longhorn", "<unset>", "", "5m", "Filesystem"]);

    const bound = object("v1", "PersistentVolumeClaim", "data", {
      spec: { volumeName: "pvc-1", storageClassName: "longhorn", resources: { requests: { storage: "10Gi" } } },
      status: { phase: "Bound", capacity: { storage: "10Gi" }, accessModes: ["ReadWriteOnce"] },
    });
    const pending = object(
      "v1",
      "PersistentVolumeClaim",
      "new",
      { spec: { resources: { requests: { storage: "1Gi" } } }, status: { phase: "Pending" } },
      { annotations: { "volume.beta.kubernetes.io/storage-class": "old-class" }, deletionTimestamp: ago(0) },
    );
    const claims = printed(builtin("", "persistentvolumeclaims"), [bound, pending]);
    expect(claims.columns).toEqual([
      "Name",
      "Status",
      "Volume",
      "Capacity",
      "Access Modes",
      "StorageClass",
      "VolumeAttributesClass",
      "Age",
      "VolumeMode",
    ]);
    expect(claims.rows).toEqual([
      ["data", "Bound", "pvc-1", "10Gi", "RWO", "longhorn", "<unset>", "5m", "<unset>"],
      ["new", "Terminating", "", "", "", "old-class", "<unset>", "5m", "<unset>"],
    ]);
  });

  it("prints config maps and secrets with their item counts", () => {
    const cm = object("v1", "ConfigMap", "c", { data: { a: "1", b: "2" }, binaryData: { c: "AA==" } });
    expect(printed(builtin("", "configmaps"), [cm])).toMatchObject({ columns: ["Name", "Data", "Age"], rows: [["c", 3, "5m"]] });
    const secret = object("v1", "Secret", "s", { type: "Opaque", data: { token: "c2VjcmV0" } });
    expect(printed(builtin("", "secrets"), [secret])).toMatchObject({
      columns: ["Name", "Type", "Data", "Age"],
      rows: [["s", "Opaque", 1, "5m"]],
    });
  });

  it("prints leases with their holder and volume attachments with their node", () => {
    const lease = object("coordination.k8s.io/v1", "Lease", "recover-k3s1", { spec: { holderIdentity: "recover@laptop" } });
    expect(printed(builtin("coordination.k8s.io", "leases"), [lease])).toMatchObject({
      columns: ["Name", "Holder", "Age"],
      rows: [["recover-k3s1", "recover@laptop", "5m"]],
    });
    const va = object("storage.k8s.io/v1", "VolumeAttachment", "csi-123", {
      spec: { attacher: "driver.longhorn.io", nodeName: "k3s1", source: { persistentVolumeName: "pvc-1" } },
      status: { attached: true },
    });
    const unattached = object("storage.k8s.io/v1", "VolumeAttachment", "csi-456", {
      spec: { attacher: "driver.longhorn.io", nodeName: "k3s2", source: {} },
    });
    expect(printed(builtin("storage.k8s.io", "volumeattachments"), [va, unattached])).toMatchObject({
      columns: ["Name", "Attacher", "PV", "Node", "Attached", "Age"],
      rows: [
        ["csi-123", "driver.longhorn.io", "pvc-1", "k3s1", true, "5m"],
        ["csi-456", "driver.longhorn.io", "", "k3s2", false, "5m"],
      ],
    });
  });

  it("prints core and events.k8s.io events alike", () => {
    const core = object("v1", "Event", "k3s1.1", {
      involvedObject: { kind: "Node", name: "k3s1", fieldPath: "" },
      reason: "NodeNotReady",
      message: " Node k3s1 status is now: NodeNotReady\n",
      type: "Warning",
      source: { component: "node-controller" },
      firstTimestamp: ago(HOUR),
      lastTimestamp: ago(2 * MINUTE),
      count: 4,
    });
    const modern = object("events.k8s.io/v1", "Event", "web.2", {
      regarding: { kind: "Pod", name: "web-0", fieldPath: "spec.containers{a}" },
      reason: "BackOff",
      note: "Back-off restarting failed container",
      type: "Warning",
      eventTime: "2025-06-01T11:50:00.000000Z",
      reportingController: "kubelet",
      reportingInstance: "k3s1",
      series: { count: 9, lastObservedTime: "2025-06-01T11:59:00.000000Z" },
    });
    const columns = ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"];
    const coreTable = printed(builtin("", "events"), [core]);
    expect(coreTable.columns).toEqual(columns);
    expect(coreTable.table.columnDefinitions?.map((c) => c.priority)).toEqual([0, 0, 0, 0, 1, 1, 0, 1, 1, 1]);
    expect(coreTable.rows[0]).toEqual([
      "2m",
      "Warning",
      "NodeNotReady",
      "node/k3s1",
      "",
      "node-controller",
      "Node k3s1 status is now: NodeNotReady",
      "60m",
      4,
      "k3s1.1",
    ]);
    const modernTable = printed(builtin("events.k8s.io", "events"), [modern]);
    expect(modernTable.columns).toEqual(columns);
    expect(modernTable.rows[0]).toEqual([
      "60s",
      "Warning",
      "BackOff",
      "pod/web-0",
      "spec.containers{a}",
      "kubelet, k3s1",
      "Back-off restarting failed container",
      "10m",
      9,
      "web.2",
    ]);
    const singleton = object("events.k8s.io/v1", "Event", "once", {
      regarding: { kind: "Node" },
      reason: "R",
      note: "n",
      type: "Normal",
      eventTime: ago(30 * SECOND),
    });
    expect(printed(builtin("events.k8s.io", "events"), [singleton]).rows[0]?.slice(0, 4)).toEqual(["30s", "Normal", "R", "node"]);
    expect(printed(builtin("events.k8s.io", "events"), [singleton]).rows[0]?.[8]).toBe(1);
  });

  it("prints customresourcedefinitions with the server's default NAME / CREATED AT", () => {
    const crd = loadCrds()[0] as KubeObject;
    crd.metadata = { ...crd.metadata, creationTimestamp: "2025-05-01T10:00:00Z" };
    const { columns, rows, table } = printed(builtin("apiextensions.k8s.io", "customresourcedefinitions"), [crd]);
    expect(columns).toEqual(["Name", "Created At"]);
    expect(table.columnDefinitions?.[1]?.type).toBe("date");
    expect(rows[0]).toEqual([crd.metadata.name, "2025-05-01T10:00:00Z"]);
  });

  it("says <unknown> for an object without a creation time", () => {
    const cm = object("v1", "ConfigMap", "c", {}, { creationTimestamp: undefined });
    expect(printed(builtin("", "configmaps"), [cm]).rows[0]).toEqual(["c", 0, "<unknown>"]);
  });
});

describe("toTable envelope", () => {
  const cms = builtin("", "configmaps");
  const cm = object("v1", "ConfigMap", "c", { data: { secret: "value" } }, { namespace: "default", labels: { a: "b" } });

  it("is a meta.k8s.io/v1 Table carrying the list's resourceVersion and continue token", () => {
    const table = toTable(cms, [cm], { listResourceVersion: "100", continue: "token", remainingItemCount: 3, now: NOW });
    expect(table.kind).toBe("Table");
    expect(table.apiVersion).toBe("meta.k8s.io/v1");
    expect(table.metadata).toEqual({ resourceVersion: "100", continue: "token", remainingItemCount: 3 });
    for (const definition of table.columnDefinitions ?? []) {
      expect(Object.keys(definition).sort()).toEqual(["description", "format", "name", "priority", "type"]);
    }
  });

  it("takes the object's resourceVersion for a single GET", () => {
    expect(toTable(cms, [cm], { single: true, now: NOW }).metadata).toEqual({ resourceVersion: "42" });
    expect(toTable(cms, [], { now: NOW }).metadata).toEqual({});
  });

  it("attaches PartialObjectMetadata by default, the object on request, nothing with None", () => {
    const byDefault = toTable(cms, [cm], { now: NOW }).rows[0]?.object;
    expect(byDefault).toEqual({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: cm.metadata });
    expect(JSON.stringify(byDefault)).not.toContain("value");
    expect(toTable(cms, [cm], { includeObject: "Object", now: NOW }).rows[0]?.object).toEqual(cm);
    expect(toTable(cms, [cm], { includeObject: "None", now: NOW }).rows[0]?.object).toBeNull();
  });

  it("drops column definitions for noHeaders", () => {
    expect(toTable(cms, [cm], { noHeaders: true, now: NOW }).columnDefinitions).toBeNull();
  });

  it("uses the current time when no clock is given", () => {
    const fresh = object("v1", "ConfigMap", "c", {}, { creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") });
    expect(toTable(cms, [fresh]).rows[0]?.cells[2]).toMatch(/^\d+s$/);
  });
});
