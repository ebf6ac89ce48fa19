// `npm run analyzer -- reset --analyzer ID --contract C --timeframe TF` (flags read by ../cli.ts): forgets
// a target's signals and watermark and recomputes it from its first stored bar (works whether or not the
// analyzer runs: the bars do not change, so a running analyzer's in-memory state stays valid).
import { formatTimeframe, parseTimeframe } from '@barstream/core';
import { createLogger, loadConfig, type Pool } from '@barstream/core/node';
import { rewindTarget } from '../signal-store.ts';
import { analysisUnits, unitKey } from '../targets.ts';
import { TargetRunner } from '../target-runner.ts';

export interface ResetTarget {
  readonly analyzer: string;
  readonly contract: string;
  readonly timeframe: string;
}

/** Answers the exit code: 2 when no configured target matches, 1 when its strategy failed. */
export async function runResetCommand(target: ResetTarget, pool: () => Promise<Pool>): Promise<number> {
  const { settings } = loadConfig();
  const label = formatTimeframe(parseTimeframe(target.timeframe, '--timeframe'));
  const unit = analysisUnits(settings).find((u) => u.key === unitKey(target.analyzer, target.contract, label));
  if (!unit) {
    const known = analysisUnits(settings)
      .map((u) => u.key.replaceAll('|', ' '))
      .join('\n  ');
    console.error(`no analysis target ${target.analyzer} ${target.contract} ${label} in config/settings.yaml; configured:\n  ${known}`);
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
