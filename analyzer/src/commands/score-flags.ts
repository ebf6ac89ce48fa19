// The flags of `npm run analyzer -- score`, said once: the usage text and parseArgs' options. node:util and
// the detector ids only (no core barrel): ../cli.ts answers --help and a bad flag from here before it
// loads score.ts.
import { parseArgs } from 'node:util';
import { DETECTOR_IDS } from '@barstream/core/detectors';

export const SCORE_USAGE = `usage: npm run analyzer -- score --contract <contract_id> --timeframe <tf> --detector ${DETECTOR_IDS.join('|')}
         [--analyzer <id>] [--k <bars>] [--from <time>] [--to <time>] [--author <name>] [--json]

Scores a detector's trend starts against the trend labels (trend_labels) of one contract and timeframe.
  --analyzer  detected_signals.analyzer_id (trend: cus_cds_trend_finder, ema_cross: ema_cross by
              default) or, for smc_choch, smc_events.study_id (default: every study)
  --k         tolerance in bars for the second row (default 2); the first row is always exact-bar
  --from/--to the range scored, ISO-8601 (no offset = UTC); default: first to last label
  --author    only this author's labels (default: every author's)
  --json      the API's JSON (GET /api/trend-labels/score) instead of the table`;

/** The flags as parseArgs reads them (strict); throws parseArgs' error naming a flag it refuses. */
export function readScoreFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    options: {
      contract: { type: 'string' },
      timeframe: { type: 'string' },
      detector: { type: 'string' },
      analyzer: { type: 'string' },
      k: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      author: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
