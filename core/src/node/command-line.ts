// The command line of a command that takes no arguments (npm start, migrate, db, each service):
// `--help` prints its usage and exits before anything is started or created; anything else is refused.
// It imports nothing (exported alone as @barstream/core/command-line): an entry point reads its arguments
// with it, then loads its own modules with import(), so `--help` costs only Node's and tsx's start-up.

export function acceptNoArguments(usage: string, argv: readonly string[] = process.argv.slice(2)): void {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage.trimEnd()}\n`);
    process.exit(0);
  }
  if (argv.length > 0) {
    process.stderr.write(`unknown argument ${JSON.stringify(argv[0])}\n\n${usage.trimEnd()}\n`);
    process.exit(2);
  }
}

/** The settings every command reads, said once for every usage text. */
export const CONFIG_USAGE = `Settings come from config/settings.yaml (or the file BARSTREAM_CONFIG names), overridden
by .env and the environment (see .env.template).`;
