"""Drives the kube-api emulator with the official Python client (Debian's python3-kubernetes).

Run by python-client.test.ts as `python3 python_client.py KUBECONFIG SCENARIO [ARG]`; prints one
JSON object with what the client saw, for the test to assert on. Any client exception that a
scenario does not expect propagates (non-zero exit, traceback on stderr).
"""

import json
import sys

from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException

NS = "py"


def refused(call):
    """The status and Status body of a refused call."""
    try:
        call()
    except ApiException as error:
        body = json.loads(error.body) if error.body else None
        return {"status": error.status, "body": body}
    return {"status": None}


def crud(api_client):
    core = client.CoreV1Api(api_client)
    out = {}
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=NS)))
    made = core.create_namespaced_config_map(NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="settings"), data={"a": "1"}))
    out["created"] = {"name": made.metadata.name, "uid": bool(made.metadata.uid), "rv": made.metadata.resource_version}
    patched = core.patch_namespaced_config_map("settings", NS, {"data": {"b": "2"}})
    out["patched"] = patched.data
    jsonpatched = core.patch_namespaced_config_map("settings", NS, [{"op": "remove", "path": "/data/a"}])
    out["jsonpatched"] = jsonpatched.data
    read = core.read_namespaced_config_map("settings", NS)
    read.data["c"] = "3"
    out["replaced"] = core.replace_namespaced_config_map("settings", NS, read).data
    out["stale"] = refused(lambda: core.replace_namespaced_config_map("settings", NS, read))
    out["deleted"] = core.delete_namespaced_config_map("settings", NS).status
    out["gone"] = refused(lambda: core.read_namespaced_config_map("settings", NS))["status"]
    node = core.read_node("k3s1")
    out["node"] = {"kubelet": node.status.node_info.kubelet_version, "ready": [c.status for c in node.status.conditions if c.type == "Ready"]}
    out["nodes"] = [n.metadata.name for n in core.list_node().items]
    bad_pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "bad"}, "spec": {"containers": [{"name": "c"}], "restartPolicy": "Sometimes"}}
    out["badPod"] = refused(lambda: core.create_namespaced_pod(NS, bad_pod))
    # Client 22.6 predates fieldValidation: the server's default (Warn) keeps the pod and drops the unknown field.
    typo = core.create_namespaced_pod(
        NS, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "typo"}, "spec": {"containers": [{"name": "c", "image": "busybox"}], "nodeNmae": "k3s1"}}
    )
    out["typoPod"] = api_client.sanitize_for_serialization(typo.spec)
    pod = core.create_namespaced_pod(NS, client.V1Pod(metadata=client.V1ObjectMeta(name="app"), spec=client.V1PodSpec(node_name="k3s1", containers=[client.V1Container(name="app", image="busybox:1.36")])))
    out["pod"] = {"phase": pod.status.phase, "node": pod.spec.node_name}
    return out


def longhorn(api_client):
    custom = client.CustomObjectsApi(api_client)
    args = ("longhorn.io", "v1beta2", "longhorn-system", "nodes")
    body = {
        "apiVersion": "longhorn.io/v1beta2",
        "kind": "Node",
        "metadata": {"name": "k3s2"},
        "spec": {"name": "k3s2", "allowScheduling": True, "disks": {"sdf1": {"path": "/mnt/longhorn/sdf1", "diskType": "filesystem", "allowScheduling": True}}},
    }
    out = {"created": custom.create_namespaced_custom_object(*args, body)["metadata"]["name"]}
    out["unsynced"] = refused(lambda: custom.patch_namespaced_custom_object(*args, "k3s2", {"spec": {"allowScheduling": False}}))
    # What Longhorn's node controller does before disks may be changed: report each disk's status.
    custom.patch_namespaced_custom_object_status(*args, "k3s2", {"status": {"diskStatus": {"sdf1": {"storageScheduled": 0}}}})
    out["patched"] = custom.patch_namespaced_custom_object(*args, "k3s2", {"spec": {"allowScheduling": False}})["spec"]["allowScheduling"]
    out["listed"] = [o["metadata"]["name"] for o in custom.list_namespaced_custom_object(*args)["items"]]
    out["refused"] = refused(lambda: custom.patch_namespaced_custom_object(*args, "k3s2", {"spec": {"disks": {"sdf1": None}}}))
    deleted = custom.delete_namespaced_custom_object(*args, "k3s2")
    out["deleted"] = [deleted["status"], deleted["details"]["name"], deleted["details"]["kind"]]
    return out


def list_rv(api_client):
    """The list resourceVersion a reflector would keep, after a few objects exist."""
    core = client.CoreV1Api(api_client)
    for name in ("one", "two"):
        core.create_namespaced_config_map(NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name)))
    return {"rv": core.list_namespaced_config_map(NS).metadata.resource_version}


def reflector(api_client, last_rv):
    """client-go's reflector loop: relist with the last resourceVersion and a page limit; on 410 relist from scratch; then watch from the list."""
    core = client.CoreV1Api(api_client)
    out = {"exact": refused(lambda: core.list_namespaced_config_map(NS, resource_version=last_rv, resource_version_match="Exact"))}
    try:
        listed = core.list_namespaced_config_map(NS, resource_version=last_rv, limit=500)
        out["relist"] = "served"
    except ApiException as error:
        out["relist"] = error.status
        listed = core.list_namespaced_config_map(NS, limit=500)
    out["items"] = [i.metadata.name for i in listed.items]
    rv = listed.metadata.resource_version
    core.create_namespaced_config_map(NS, client.V1ConfigMap(metadata=client.V1ObjectMeta(name="three")))
    core.delete_namespaced_config_map("one", NS)
    events = []
    for event in watch.Watch().stream(core.list_namespaced_config_map, NS, resource_version=rv, timeout_seconds=1):
        events.append([event["type"], event["object"].metadata.name])
        if len(events) == 2:
            break
    out["events"] = events
    try:
        for _ in watch.Watch().stream(core.list_namespaced_config_map, NS, resource_version=last_rv, timeout_seconds=1):
            pass
        out["staleWatch"] = "ended"
    except ApiException as error:
        out["staleWatch"] = error.status
    return out


def main():
    kubeconfig, scenario = sys.argv[1], sys.argv[2]
    api_client = config.new_client_from_config(config_file=kubeconfig)
    if scenario == "crud":
        result = crud(api_client)
    elif scenario == "longhorn":
        result = longhorn(api_client)
    elif scenario == "list-rv":
        result = list_rv(api_client)
    elif scenario == "reflector":
        result = reflector(api_client, sys.argv[3])
    else:
        raise SystemExit(f"unknown scenario {scenario}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
