// Process wiring shared by the history CLIs: Ctrl-C aborts the command's signal (a second one exits at
// once), usage errors print the usage and exit 2, other errors print their message and exit 1.
import { BarstreamError } from '@barstream/core/errors';
import { UsageError } from './cli-flags.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** What shells report for a process ended by SIGINT. */
export const EXIT_INTERRUPTED = 130;

/** Runs `command` and exits with its code. `stopping` is what the first Ctrl-C prints while the command
 * winds down; without it the first Ctrl-C exits at once (nothing half-done to protect). */
export async function runCommand(command: (signal: AbortSignal) => Promise<number>, usage: string, stopping?: string): Promise<never> {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted || stopping === undefined) process.exit(EXIT_INTERRUPTED);
    process.stderr.write(`\n${stopping} (Ctrl-C again to quit now)…\n`);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let code: number;
  try {
    code = await command(controller.signal);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${usage}\n`);
      code = EXIT_USAGE;
    } else {
      process.stderr.write(`${err instanceof BarstreamError || err instanceof Error ? err.message : String(err)}\n`);
      code = EXIT_FAILED;
    }
  }
  process.exit(code);
}
