/** The unprivileged user the lab's hosts log in as; `sudo` works for it without a password. */
export const LAB_SSH_USER = "recover-lab";

/** A second lab user whose `sudo` asks for a password, to exercise the password path. */
export const LAB_SSH_PASSWORD_USER = "recover-lab-pw";

/** Both lab users log in with /bin/sh: a lean login shell keeps each command's start-up cheap. */
export const LAB_LOGIN_SHELL = "/bin/sh";

/** Where setup keeps lab state that must survive between runs (root only). */
export const LAB_STATE_DIR = "/var/lib/recover-lab";

/** The sudoers drop-in that grants the lab users sudo. */
export const LAB_SUDOERS_FILE = "/etc/sudoers.d/recover-lab";

/**
 * The one command the password user may sudo without a password, as real sudoers files often
 * allow a few: the password fed for every other command must never reach this one's stdin.
 */
export const LAB_NOPASSWD_COMMAND = "/usr/bin/tee";

/** The sudoers drop-in's exact content; setup rewrites it when it differs. */
export const LAB_SUDOERS = `# Written by recover's lab setup (src/lab/sshd/system-setup.ts).
${LAB_SSH_USER} ALL=(ALL:ALL) NOPASSWD: ALL
${LAB_SSH_PASSWORD_USER} ALL=(ALL:ALL) ALL
${LAB_SSH_PASSWORD_USER} ALL=(root) NOPASSWD: ${LAB_NOPASSWD_COMMAND}
Defaults:${LAB_SSH_PASSWORD_USER} lecture=never
`;
