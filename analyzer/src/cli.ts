// `npm run analyzer -- …` (entry: scripts/analyzer.ts, which opens the database): `reset --analyzer ID
// --contract C --timeframe TF` (commands/reset.ts); `score`, `labels` and `export-study` are in ./commands.
// The command line is read here with node:util alone; a command's modules load only once it is chosen
// and its flags are present, so --help and a usage error answer without them.
import { parseArgs } from 'node:util';
import { commandDatabase, type OpenCommandPool } from './commands/command-database.ts';
import { EXPORT_STUDY_USAGE, exportStudyUsageError, readExportStudyFlags } from './commands/export-study-flags.ts';
import { LABELS_USAGE, readLabelsFlags } from './commands/labels-flags.ts';
import { readScoreFlags, SCORE_USAGE } from './commands/score-flags.ts';
import { answerHelpOrBadFlag } from './commands/usage-answer.ts';

const USAGE = `usage: npm run analyzer -- reset --analyzer <analyzer_id> --contract <contract_id> --timeframe <tf>
       npm run analyzer -- score --help | labels --help
${EXPORT_STUDY_USAGE.replace(/^usage: /, '       ')}`;

/** Runs one command; the database is opened through `openPool` only if the command needs it. */
export async function runAnalyzerCli(argv: readonly string[], openPool: OpenCommandPool): Promise<number> {
  const [command, ...rest] = argv;
  const io = { stdout: process.stdout, stderr: process.stderr };
  const { pool, db } = commandDatabase(openPool);
  if (command === 'score') {
    return (
      answerHelpOrBadFlag(rest, readScoreFlags, SCORE_USAGE, io) ??
      (await import('./commands/score.ts')).runScoreCommand(rest, { ...io, db })
    );
  }
  if (command === 'labels') {
    return (
      answerHelpOrBadFlag(rest, readLabelsFlags, LABELS_USAGE, io) ??
      (await import('./commands/labels.ts')).runLabelsCommand(rest, { ...io, pool })
    );
  }
  if (command === 'export-study') {
    try {
      readExportStudyFlags(rest);
    } catch (err) {
      console.error(exportStudyUsageError((err as Error).message));
      return 2;
    }
    return (await import('./commands/export-study.ts')).runExportStudy(rest, pool);
  }
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
  const { runResetCommand } = await import('./commands/reset.ts');
  return runResetCommand({ analyzer: values.analyzer, contract: values.contract, timeframe: values.timeframe }, pool);
}
