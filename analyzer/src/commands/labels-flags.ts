// The flags of `npm run analyzer -- labels`, said once: the usage text and parseArgs' options. node:util
// only: ../cli.ts answers --help and a bad flag from here before it loads labels.ts.
import { parseArgs } from 'node:util';

export const LABELS_USAGE = `usage: npm run analyzer -- labels export --contract <contract_id> --timeframe <tf> [--author <name>] [--file F.csv]
       npm run analyzer -- labels import --file F.csv [--contract <contract_id>] [--timeframe <tf>]

export  writes the labels of one contract and timeframe as CSV to --file (or stdout)
import  reads a labels CSV (contract_id,timeframe,timestamp,label_type[,author][,created_at]) and
        stores every row, replacing the label an author gave the same bar; a bad row stores nothing
        and is reported by line and column. --contract/--timeframe: every row must be of them.`;

/** The flags as parseArgs reads them (strict, the action as a positional); throws parseArgs' error naming a flag it refuses. */
export function readLabelsFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      contract: { type: 'string' },
      timeframe: { type: 'string' },
      author: { type: 'string' },
      file: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
