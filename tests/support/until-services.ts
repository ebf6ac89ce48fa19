// Waiting on service processes a test started (tests/chaos/service-process.ts): a crash of any of them
// fails the wait at once, and a failed wait carries their last output.
import type { ServiceProcess } from '../chaos/service-process.ts';
import { eventually } from './eventually.ts';

/** Waits for `check`; on a timeout (or a crash) the error names `what` and shows each process's last 20 lines. */
export async function untilServices(
  processes: readonly ServiceProcess[],
  service: string,
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const crashed = () => processes.some((p) => p.crashes > 0);
  const met = await eventually(async () => crashed() || (await check()), timeoutMs).then(
    () => !crashed(),
    () => false,
  );
  if (met) return;
  const logs = processes.map((p, i) => `--- ${service} ${i}:\n${p.log.slice(-20).join('\n')}`).join('\n');
  const article = /^[aeiou]/.test(service) ? 'an' : 'a';
  throw new Error(`${crashed() ? `${article} ${service} crashed` : 'not met in time'}: ${what}\n${logs}`);
}
