// `npm run download -- …`: historical bars from ProjectX, Binance or Alpaca into ohlc_bars (see --help).
// The flags are read first (download-flags.ts); the command's modules load only when it runs.
import { DOWNLOAD_USAGE, readDownloadFlags } from './lib/history/download-flags.ts';
import { EXIT_OK, runCommand } from './lib/history/run-command.ts';

await runCommand(
  async (signal) => {
    const argv = process.argv.slice(2);
    if (readDownloadFlags(argv).values.help) {
      process.stdout.write(`${DOWNLOAD_USAGE}\n`);
      return EXIT_OK;
    }
    const [{ loadConfig }, { parseDownloadArgs }, { runDownload }] = await Promise.all([
      import('@barstream/core/node'),
      import('./lib/history/download-args.ts'),
      import('./lib/history/download-command.ts'),
    ]);
    const args = parseDownloadArgs(argv);
    const { settings, rootDir } = loadConfig();
    return runDownload(args, { settings, rootDir, stdout: process.stdout, stderr: process.stderr, signal });
  },
  DOWNLOAD_USAGE,
  'stopping after the range being written',
);
