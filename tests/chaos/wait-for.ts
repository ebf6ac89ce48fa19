// A condition the chaos run waits on, asked again until it holds or the cap passes (the database may be
// restarting meanwhile: an error counts as "not yet"). Never a fixed sleep: the cap only bounds a failure.

/** Whether `holds` answered true before `capMs` passed. */
export async function waitFor(capMs: number, holds: () => Promise<boolean>, pollMs = 250): Promise<boolean> {
  const deadline = Date.now() + capMs;
  for (;;) {
    try {
      if (await holds()) return true;
    } catch {
      // asked again at the next poll
    }
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
