// `npm run analyzer -- …` (entry: scripts/analyzer.ts, which opens the database): `reset --analyzer ID
// --contract C --timeframe TF` forgets a target's signals and watermark and recomputes it from its first
// stored bar (works whether or not the analyzer runs: the bars do not change, so a running analyzer's
// in-memory state stays valid); `score`, `labels` and `export-study` are in ./commands.
import { parseArgs } from 'node:util';
import { formatTimeframe, parseTimeframe } from '@barstream/core';
import { createLogger, loadConfig } from '@barstream/core/node';
import { commandDatabase, type OpenCommandPool } from './commands/command-database.ts';
import { runLabelsCommand } from './commands/labels.ts';
import { runScoreCommand } from './commands/score.ts';
import { EXPORT_STUDY_USAGE, runExportStudy } from './commands/export-study.ts';
import { rewindTarget } from './signal-store.ts';
import { analysisUnits, unitKey } from './targets.ts';
import { TargetRunner } from './target-runner.ts';

const USAGE = `usage: npm run analyzer -- reset --analyzer <analyzer_id> --contract <contract_id> --timeframe <tf>
       npm run analyzer -- score --help | labels --help
${EXPORT_STUDY_USAGE.replace(/^usage: /, '       ')}`;

/** Runs one command; the database is opened through `openPool` only if the command needs it. */
export async function runAnalyzerCli(argv: readonly string[], openPool: OpenCommandPool): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  const { pool, db } = commandDatabase(openPool);
  if (command === 'score') return runScoreCommand(rest, { ...io, db });
  if (command === 'labels') return runLabelsCommand(rest, { ...io, pool });
  if (command === 'export-study') return runExportStudy(rest, pool);
  const { positionals, values } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      analyzer: { type: 'string' },
      contract: { type: 'string' },
      timeframe: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help || positionals[0] !== 'reset') {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (!values.analyzer || !values.contract || !values.timeframe) {
    console.error(
      `missing ${['analyzer', 'contract', 'timeframe']
        .filter((k) => !values[k as keyof typeof values])
        .map((k) => `--${k}`)
        .join(', ')}\n${USAGE}`,
    );
    return 2;
  }
  const { settings } = loadConfig();
  const label = formatTimeframe(parseTimeframe(values.timeframe, '--timeframe'));
  const unit = analysisUnits(settings).find((u) => u.key === unitKey(values.analyzer as string, values.contract as string, label));
  if (!unit) {
    const known = analysisUnits(settings)
      .map((u) => u.key.replaceAll('|', ' '))
      .join('\n  ');
    console.error(`no analysis target ${values.analyzer} ${values.contract} ${label} in config/settings.yaml; configured:\n  ${known}`);
    return 2;
  }
  const logger = createLogger('analyzer-cli', settings.logging.level);
  const database = await pool();
  await rewindTarget(database, unit, undefined);
  let bars = 0;
  let signals = 0;
  const runner = new TargetRunner(unit, database, logger, {
    onBars: (_u, n) => {
      bars += n;
    },
    onSignals: (_u, n) => {
      signals += n;
    },
    onRejectedBar: (_u, reason) => logger.warn({ reason }, 'bar rejected'),
    onFailed: (_u, err) => logger.error({ err: err.message }, 'strategy failed'),
  });
  await runner.catchUp();
  if (runner.lastError) throw runner.lastError;
  if (runner.status === 'failed') return 1;
  console.log(`reset ${unit.key.replaceAll('|', ' ')}: ${bars} bars processed, ${signals} signals stored`);
  return 0;
}
