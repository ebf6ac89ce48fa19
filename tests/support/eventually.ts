// Polls a condition until it holds; fails after `ms` (for checks that read the database, or state set by events).
import { CONDITION_TIMEOUT_MS } from './condition-timeout.ts';

export async function eventually(check: () => boolean | Promise<boolean>, ms = CONDITION_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
