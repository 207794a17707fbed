/**
 * core/v1 Pod as the real server decodes it: every PodSpec and Container field by name (an unknown
 * one is refused under fieldValidation=Strict, warned about or dropped), typed where the lab, its
 * simulated kubelet and the runbooks read it (nodeName, containers, volumes' claims, tolerations,
 * grace period), opaque where none looks inside. Status stays open: the simulated kubelet writes it.
 */
import type { StructuralSchema } from "../api/structural-schema.js";
import { bool, enumOf, int32, int64, listOf, opaque, quantities, str, stringMap, struct } from "./go-schema.js";

const keyRef = (name: string) => opaque(`v1.${name}`);

const container = struct("v1.Container", {
  name: str,
  image: str,
  command: listOf(str),
  args: listOf(str),
  workingDir: str,
  ports: listOf(
    struct("v1.ContainerPort", { name: str, hostPort: int32, containerPort: int32, protocol: enumOf(["TCP", "UDP", "SCTP"]), hostIP: str }),
  ),
  envFrom: listOf(keyRef("EnvFromSource")),
  env: listOf(struct("v1.EnvVar", { name: str, value: str, valueFrom: keyRef("EnvVarSource") })),
  resources: struct("v1.ResourceRequirements", { limits: quantities, requests: quantities, claims: listOf(keyRef("ResourceClaim")) }),
  resizePolicy: listOf(keyRef("ContainerResizePolicy")),
  restartPolicy: enumOf(["Always"]),
  volumeMounts: listOf(
    struct("v1.VolumeMount", {
      name: str,
      readOnly: bool,
      recursiveReadOnly: str,
      mountPath: str,
      subPath: str,
      mountPropagation: str,
      subPathExpr: str,
    }),
  ),
  volumeDevices: listOf(struct("v1.VolumeDevice", { name: str, devicePath: str })),
  livenessProbe: keyRef("Probe"),
  readinessProbe: keyRef("Probe"),
  startupProbe: keyRef("Probe"),
  lifecycle: keyRef("Lifecycle"),
  terminationMessagePath: str,
  terminationMessagePolicy: enumOf(["File", "FallbackToLogsOnError"]),
  imagePullPolicy: enumOf(["Always", "IfNotPresent", "Never"]),
  securityContext: keyRef("SecurityContext"),
  stdin: bool,
  stdinOnce: bool,
  tty: bool,
});

/** A volume: its name and any one source; the lab reads persistentVolumeClaim (stuck-pvc, drain of Longhorn volumes). */
const volume: StructuralSchema = {
  ...opaque("v1.Volume"),
  properties: {
    name: str,
    persistentVolumeClaim: struct("v1.PersistentVolumeClaimVolumeSource", { claimName: str, readOnly: bool }),
  },
};

const toleration = struct("v1.Toleration", {
  key: str,
  operator: enumOf(["Exists", "Equal"]),
  value: str,
  effect: enumOf(["", "NoSchedule", "PreferNoSchedule", "NoExecute"]),
  tolerationSeconds: int64,
});

const podSpec = struct("v1.PodSpec", {
  volumes: listOf(volume),
  initContainers: listOf(container),
  containers: listOf(container),
  ephemeralContainers: listOf(keyRef("EphemeralContainer")),
  restartPolicy: enumOf(["Always", "OnFailure", "Never"]),
  terminationGracePeriodSeconds: int64,
  activeDeadlineSeconds: int64,
  dnsPolicy: enumOf(["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]),
  nodeSelector: stringMap,
  serviceAccountName: str,
  serviceAccount: str,
  automountServiceAccountToken: bool,
  nodeName: str,
  hostNetwork: bool,
  hostPID: bool,
  hostIPC: bool,
  shareProcessNamespace: bool,
  securityContext: keyRef("PodSecurityContext"),
  imagePullSecrets: listOf(struct("v1.LocalObjectReference", { name: str })),
  hostname: str,
  subdomain: str,
  affinity: keyRef("Affinity"),
  schedulerName: str,
  tolerations: listOf(toleration),
  hostAliases: listOf(keyRef("HostAlias")),
  priorityClassName: str,
  priority: int32,
  dnsConfig: keyRef("PodDNSConfig"),
  readinessGates: listOf(struct("v1.PodReadinessGate", { conditionType: str })),
  runtimeClassName: str,
  enableServiceLinks: bool,
  preemptionPolicy: enumOf(["PreemptLowerPriority", "Never"]),
  overhead: quantities,
  topologySpreadConstraints: listOf(keyRef("TopologySpreadConstraint")),
  setHostnameAsFQDN: bool,
  os: struct("v1.PodOS", { name: enumOf(["linux", "windows"]) }),
  hostUsers: bool,
  schedulingGates: listOf(struct("v1.PodSchedulingGate", { name: str })),
  resourceClaims: listOf(keyRef("PodResourceClaim")),
  resources: struct("v1.ResourceRequirements", { limits: quantities, requests: quantities }),
});

// Runbook steps: stuck-pvc reads pods' volumes and nodes; drain and the kubelet drills read nodeName and the grace period.
export const POD_SCHEMA: StructuralSchema = struct("v1.Pod", { spec: podSpec, status: opaque("v1.PodStatus") });
