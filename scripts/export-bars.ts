// `npm run export -- --contract X --timeframe 5m …`: closed bars (or, with --signals, detected signals) as CSV, to --out or stdout (see --help).
import { loadConfig } from '@barstream/core/node';
import { runExport } from './lib/history/export-command.ts';
import { EXPORT_USAGE, parseExportArgs } from './lib/history/export-args.ts';
import { EXIT_OK, runCommand } from './lib/history/run-command.ts';

await runCommand(async () => {
  const args = parseExportArgs(process.argv.slice(2));
  if (args.help) {
    process.stdout.write(`${EXPORT_USAGE}\n`);
    return EXIT_OK;
  }
  const { settings, rootDir } = loadConfig();
  return runExport(args, { settings, rootDir, stdout: process.stdout, stderr: process.stderr });
}, EXPORT_USAGE);
