// `npm run import -- file.csv …`: bar CSVs (barstream/origin layout or Binance klines) into ohlc_bars (see --help).
import { loadConfig } from '@barstream/core/node';
import { runImport } from './lib/history/import-command.ts';
import { IMPORT_USAGE, parseImportArgs } from './lib/history/import-args.ts';
import { EXIT_OK, runCommand } from './lib/history/run-command.ts';

await runCommand(
  async (signal) => {
    const args = parseImportArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(`${IMPORT_USAGE}\n`);
      return EXIT_OK;
    }
    const { settings, rootDir } = loadConfig();
    return runImport(args, { settings, rootDir, stdout: process.stdout, stderr: process.stderr, signal });
  },
  IMPORT_USAGE,
  'stopping after the file being written',
);
