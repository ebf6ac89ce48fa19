// How the analyzer's subcommands answer a usage problem and --help, said once: score.ts and labels.ts
// for their own checks, ../cli.ts for --help and a bad flag before it loads them.
import type { Writable } from 'node:stream';

/** The problem, a blank line and the usage on stderr; answers exit code 2. */
export function writeUsageError(stderr: Writable, message: string, usage: string): number {
  stderr.write(`${message}\n\n${usage}\n`);
  return 2;
}

/** --help (usage on stdout, 0) or a flag `read` refuses (2), answered from the flags alone; undefined
 * when the command is to run. */
export function answerHelpOrBadFlag(
  argv: readonly string[],
  read: (argv: readonly string[]) => { values: { help?: boolean | undefined } },
  usage: string,
  io: { readonly stdout: Writable; readonly stderr: Writable },
): number | undefined {
  let help: boolean;
  try {
    help = read(argv).values.help === true;
  } catch (err) {
    return writeUsageError(io.stderr, (err as Error).message, usage);
  }
  if (!help) return undefined;
  io.stdout.write(`${usage}\n`);
  return 0;
}
