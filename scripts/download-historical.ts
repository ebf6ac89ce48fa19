// `npm run download -- …`: historical bars from ProjectX, Binance or Alpaca into ohlc_bars (see --help).
import { loadConfig } from '@barstream/core/node';
import { DOWNLOAD_USAGE, parseDownloadArgs } from './lib/history/download-args.ts';
import { runDownload } from './lib/history/download-command.ts';
import { EXIT_OK, runCommand } from './lib/history/run-command.ts';

await runCommand(
  async (signal) => {
    const args = parseDownloadArgs(process.argv.slice(2));
    if (args.help) {
      process.stdout.write(`${DOWNLOAD_USAGE}\n`);
      return EXIT_OK;
    }
    const { settings, rootDir } = loadConfig();
    return runDownload(args, { settings, rootDir, stdout: process.stdout, stderr: process.stderr, signal });
  },
  DOWNLOAD_USAGE,
  'stopping after the range being written',
);
