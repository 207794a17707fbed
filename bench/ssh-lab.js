// The SSH lab for the benchmarks that start real sshd hosts: the lab's sshd starter and its system
// setup (users, sshd binary), or why the lab cannot run here.
const DIST = new URL("../dist/", import.meta.url);

/** `{ startSshd, system }`, or `{ skipped }` with the reason. */
export async function sshLab() {
  const { startSshd } = await import(new URL("lab/sshd/server.js", DIST).href);
  const { ensureLabSystem } = await import(new URL("lab/sshd/system-setup.js", DIST).href);
  try {
    return { startSshd, system: await ensureLabSystem() };
  } catch (error) {
    return { skipped: `the SSH lab cannot run here: ${error.message}` };
  }
}
