// `npm run import -- file.csv …`: bar CSVs (barstream/origin layout or Binance klines) into ohlc_bars (see --help).
// The flags are read first (import-flags.ts); the command's modules load only when it runs.
import { readImportFlags, IMPORT_USAGE } from './lib/history/import-flags.ts';
import { EXIT_OK, runCommand } from './lib/history/run-command.ts';

await runCommand(
  async (signal) => {
    const argv = process.argv.slice(2);
    if (readImportFlags(argv).values.help) {
      process.stdout.write(`${IMPORT_USAGE}\n`);
      return EXIT_OK;
    }
    const [{ loadConfig }, { parseImportArgs }, { runImport }] = await Promise.all([
      import('@barstream/core/node'),
      import('./lib/history/import-args.ts'),
      import('./lib/history/import-command.ts'),
    ]);
    const args = parseImportArgs(argv);
    const { settings, rootDir } = loadConfig();
    return runImport(args, { settings, rootDir, stdout: process.stdout, stderr: process.stderr, signal });
  },
  IMPORT_USAGE,
  'stopping after the file being written',
);
