/** Polls until `check` holds or `attempts` run out; for state that settles asynchronously, never for timing. */
export async function eventually(check: () => boolean | Promise<boolean>, attempts = 50, delayMs = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
  return check();
}
