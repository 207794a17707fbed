/** Where a node's simulated services live: one `unit state` line each (the daemon flips them for faults). */
export const SERVICES_FILE = "/etc/recover-lab/services";

/** The services a lab node starts with; runbooks check iscsid (longhorn-node: preflight iscsi). */
export function initialServices(server: boolean): Record<string, "active" | "inactive"> {
  return { iscsid: "active", "iscsid.socket": "active", "open-iscsi": "active", [server ? "k3s" : "k3s-agent"]: "active" };
}

export function renderServices(services: Record<string, string>): string {
  return Object.entries(services)
    .map(([unit, state]) => `${unit} ${state}\n`)
    .join("");
}

/**
 * The node's `systemctl`: no systemd runs in a lab node, so unit states come from SERVICES_FILE
 * (longhorn-node's iscsi step runs `systemctl is-active iscsid`). start/stop/enable --now change
 * them as systemd would; `status` says it is simulated.
 */
export function renderSystemctlScript(node: string, servicesFile = SERVICES_FILE): string {
  return `#!/bin/sh
# recover lab: simulated systemctl on node ${node} (src/lab/node/systemctl-script.ts).
state=${servicesFile}
quiet=0; now=0; verb=""; units=""
for a in "$@"; do
  case "$a" in
    -q|--quiet) quiet=1 ;;
    --now) now=1 ;;
    -*) ;;
    *) if [ -z "$verb" ]; then verb=$a; else units="$units \${a%.service}"; fi ;;
  esac
done
get() { s=$(grep "^$1 " "$state" 2>/dev/null | cut -d' ' -f2); echo "\${s:-inactive}"; }
put() {
  { grep -v "^$1 " "$state" 2>/dev/null; echo "$1 $2"; } > "$state.new" && mv "$state.new" "$state"
}
case "$verb" in
  is-active)
    rc=0
    for u in $units; do s=$(get "$u"); [ "$quiet" = 1 ] || echo "$s"; [ "$s" = active ] || rc=3; done
    exit $rc ;;
  is-enabled) for u in $units; do [ "$quiet" = 1 ] || echo enabled; done ;;
  start|restart|reload|reload-or-restart|try-restart) for u in $units; do put "$u" active; done ;;
  stop|kill) for u in $units; do put "$u" inactive; done ;;
  enable) [ "$now" = 1 ] && for u in $units; do put "$u" active; done ;;
  disable) [ "$now" = 1 ] && for u in $units; do put "$u" inactive; done ;;
  status)
    rc=0
    for u in $units; do
      s=$(get "$u")
      echo "* $u.service (simulated by recover lab on ${node})"
      echo "     Active: $s"
      [ "$s" = active ] || rc=3
    done
    exit $rc ;;
  daemon-reload|daemon-reexec|reset-failed) ;;
  *) echo "systemctl $verb: not simulated by recover lab (node ${node} runs no systemd)" >&2; exit 1 ;;
esac
exit 0
`;
}
