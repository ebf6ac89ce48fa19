// `npm run export -- --contract X --timeframe 5m …`: closed bars (or, with --signals, detected signals) as CSV, to --out or stdout (see --help).
// The flags are read first (export-flags.ts); the command's modules load only when it runs.
import { EXPORT_USAGE, readExportFlags } from './lib/history/export-flags.ts';
import { EXIT_OK, runCommand } from './lib/history/run-command.ts';

await runCommand(async () => {
  const argv = process.argv.slice(2);
  if (readExportFlags(argv).values.help) {
    process.stdout.write(`${EXPORT_USAGE}\n`);
    return EXIT_OK;
  }
  const [{ loadConfig }, { parseExportArgs }, { runExport }] = await Promise.all([
    import('@barstream/core/node'),
    import('./lib/history/export-args.ts'),
    import('./lib/history/export-command.ts'),
  ]);
  const args = parseExportArgs(argv);
  const { settings, rootDir } = loadConfig();
  return runExport(args, { settings, rootDir, stdout: process.stdout, stderr: process.stderr });
}, EXPORT_USAGE);
