import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { execa } from "execa";
import { LabSetupError } from "./errors.js";
import { LAB_LOGIN_SHELL, LAB_SSH_PASSWORD_USER, LAB_SSH_USER, LAB_STATE_DIR, LAB_SUDOERS, LAB_SUDOERS_FILE } from "./lab-users.js";
import { withSetupLock } from "./setup-lock.js";

/** Debian's OpenSSH server binary; the lab runs it, never a system service. */
export const SSHD_BINARY = "/usr/sbin/sshd";
const SUDO_BINARY = "/usr/bin/sudo";
const PRIVSEP_DIR = "/run/sshd";
const POLICY_RC = "/usr/sbin/policy-rc.d";
const PASSWORD_FILE = path.join(LAB_STATE_DIR, "sudo-password");

/** What the SSH lab can rely on once setup has run. */
export interface LabSystem {
  sshd: string;
  /** Logs in with a key; `sudo -n` works. */
  user: string;
  /** Logs in with a key; `sudo` asks for `sudoPassword`. */
  passwordUser: string;
  /** The password user's password; undefined when not root (it is kept root-only). */
  sudoPassword?: string;
}

export interface LabSetupOptions {
  /** Where to say what setup is doing (installing packages); default stderr. */
  log?: (line: string) => void;
}

interface Account {
  shell: string;
}

async function accounts(): Promise<Map<string, Account>> {
  const map = new Map<string, Account>();
  for (const line of (await readFile("/etc/passwd", "utf8")).split("\n")) {
    const fields = line.split(":");
    if (fields.length >= 7) map.set(fields[0] ?? "", { shell: fields[6] ?? "" });
  }
  return map;
}

/** Password fields from /etc/shadow (root only); "!" means locked, which sshd refuses without PAM. */
async function shadowFields(): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const text = await readFile("/etc/shadow", "utf8").catch(() => "");
  for (const line of text.split("\n")) {
    const [name, password] = line.split(":");
    if (name && password !== undefined) map.set(name, password);
  }
  return map;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** Lists what is missing, as the step names that `fix` understands. */
async function inspect(): Promise<string[]> {
  const missing: string[] = [];
  if (!existsSync(SSHD_BINARY)) missing.push("openssh-server");
  if (!existsSync(SUDO_BINARY)) missing.push("sudo");
  const users = await accounts();
  const shadow = isRoot() ? await shadowFields() : undefined;
  for (const user of [LAB_SSH_USER, LAB_SSH_PASSWORD_USER]) {
    const account = users.get(user);
    if (!account) missing.push(`user ${user}`);
    else if (account.shell !== LAB_LOGIN_SHELL) missing.push(`shell of ${user}`);
    else if (shadow?.get(user)?.startsWith("!")) missing.push(`unlocked ${user}`);
  }
  if ((await readFile(LAB_SUDOERS_FILE, "utf8").catch(() => "")) !== LAB_SUDOERS) missing.push(`sudoers ${LAB_SUDOERS_FILE}`);
  if (!existsSync(PRIVSEP_DIR)) missing.push(PRIVSEP_DIR);
  if (isRoot() && !existsSync(PASSWORD_FILE)) missing.push(`password of ${LAB_SSH_PASSWORD_USER}`);
  return missing;
}

async function run(file: string, args: string[], input?: string): Promise<void> {
  const result = await execa(file, args, {
    input,
    reject: false,
    env: { DEBIAN_FRONTEND: "noninteractive", LC_ALL: "C" },
  });
  if (result.exitCode !== 0) {
    const tail = `${result.stderr}\n${result.stdout}`.trim().split("\n").slice(-15).join("\n");
    throw new LabSetupError(`lab setup failed: ${file} ${args.join(" ")} exited ${result.exitCode}\n${tail}`, [file]);
  }
}

/** Installs Debian packages with apt-get, their services kept from starting (no system sshd on port 22); says so on `log`. */
export async function installPackages(packages: string[], log: (line: string) => void, why = "the SSH lab needs them"): Promise<void> {
  log(`recover lab: installing ${packages.join(" ")} with apt-get (${why})`);
  const ownPolicy = !existsSync(POLICY_RC);
  // policy-rc.d exit 101 tells invoke-rc.d "do not start services"; ours is removed right after.
  if (ownPolicy) await writeFile(POLICY_RC, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  try {
    // Another apt-get (a parallel bench or setup) may hold the dpkg lock: wait for it, do not fail.
    const wait = ["-o", "DPkg::Lock::Timeout=300"];
    await run("apt-get", [...wait, "update", "-q"]);
    await run("apt-get", [...wait, "install", "-y", "-q", "--no-install-recommends", ...packages]);
  } finally {
    if (ownPolicy) await rm(POLICY_RC, { force: true });
  }
}

/** Returns true when the account was created now. */
async function ensureUser(user: string, users: Map<string, Account>, shadow: Map<string, string>): Promise<boolean> {
  const account = users.get(user);
  if (!account) await run("useradd", ["--create-home", "--shell", LAB_LOGIN_SHELL, "--comment", "recover SSH lab", user]);
  else if (account.shell !== LAB_LOGIN_SHELL) await run("usermod", ["--shell", LAB_LOGIN_SHELL, user]);
  // A new account is locked ("!"); sshd without PAM refuses locked accounts even for key logins.
  const password = account ? shadow.get(user) : "!";
  if (user === LAB_SSH_USER && (password === undefined || password.startsWith("!"))) await run("usermod", ["--password", "*", user]);
  return !account;
}

const readStoredPassword = async (): Promise<string> => (await readFile(PASSWORD_FILE, "utf8").catch(() => "")).trim();

async function ensureSudoPassword(): Promise<string> {
  const stored = await readStoredPassword();
  if (stored) return stored;
  const password = randomBytes(18).toString("base64url");
  await mkdir(LAB_STATE_DIR, { recursive: true, mode: 0o700 });
  await run("chpasswd", [], `${LAB_SSH_PASSWORD_USER}:${password}\n`);
  await writeFile(PASSWORD_FILE, `${password}\n`, { mode: 0o600 });
  return password;
}

async function ensureSudoers(): Promise<void> {
  const staged = `${LAB_SUDOERS_FILE}.new`;
  await mkdir(path.dirname(LAB_SUDOERS_FILE), { recursive: true });
  await writeFile(staged, LAB_SUDOERS, { mode: 0o440 });
  try {
    // A broken sudoers file would lock root out of sudo: check it before it goes live.
    await run("visudo", ["-c", "-q", "-f", staged]);
    await run("mv", ["-f", staged, LAB_SUDOERS_FILE]);
  } finally {
    await rm(staged, { force: true });
  }
}

async function fix(missing: string[], log: (line: string) => void): Promise<void> {
  const packages = missing.filter((m) => m === "openssh-server" || m === "sudo");
  if (packages.length > 0) await installPackages(packages, log);
  const users = await accounts();
  const shadow = await shadowFields();
  await ensureUser(LAB_SSH_USER, users, shadow);
  // A stored password means nothing for an account created now: forget it so it is set again.
  if (await ensureUser(LAB_SSH_PASSWORD_USER, users, shadow)) await rm(PASSWORD_FILE, { force: true });
  if ((await readFile(LAB_SUDOERS_FILE, "utf8").catch(() => "")) !== LAB_SUDOERS) await ensureSudoers();
  await mkdir(PRIVSEP_DIR, { recursive: true });
  await chmod(PRIVSEP_DIR, 0o755);
}

/**
 * Makes this machine able to run the SSH lab, idempotently: Debian's openssh-server and sudo
 * (installed with apt-get when root and missing; the package's own sshd is not started), the lab
 * users with /bin/sh as login shell, their sudoers entries and sshd's privilege-separation
 * directory. Not root and something missing → LabSetupError saying what to install.
 */
export async function ensureLabSystem(options: LabSetupOptions = {}): Promise<LabSystem> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const missing = await inspect();
  if (missing.length > 0) {
    if (!isRoot()) {
      throw new LabSetupError(
        `the SSH lab needs: ${missing.join(", ")}; run the setup as root once (for example \`sudo npm test\` in recover's checkout), or install openssh-server and sudo with apt-get and create the lab users as src/lab/sshd/system-setup.ts does`,
        missing,
      );
    }
    await withSetupLock(async () => {
      const still = await inspect();
      if (still.length > 0) await fix(still, log);
    });
  }
  const sudoPassword = isRoot() ? (await readStoredPassword()) || (await withSetupLock(ensureSudoPassword)) : undefined;
  return { sshd: SSHD_BINARY, user: LAB_SSH_USER, passwordUser: LAB_SSH_PASSWORD_USER, sudoPassword };
}
