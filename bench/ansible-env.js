// The environment the bench runs ansible-playbook in: pipelining on, host keys checked, all its
// state under the bench's temp dir.
export const ansibleEnv = (dir) => ({
  ...process.env,
  ANSIBLE_PIPELINING: "1",
  ANSIBLE_HOST_KEY_CHECKING: "1",
  ANSIBLE_NOCOLOR: "1",
  ANSIBLE_LOCAL_TEMP: dir,
  ANSIBLE_HOME: dir,
});
