// The flags of `npm run analyzer -- export-study`, said once: the usage and parseArgs' options, in a module
// that loads neither zod nor core's barrel: ../cli.ts prints the usage (--help) and refuses a bad flag
// before export-study.ts loads; export-study.ts checks the values.
import { parseArgs } from 'node:util';
import { SMC_STUDIES } from '@barstream/core/smc-studies';

export const EXPORT_STUDY_USAGE = `usage: npm run analyzer -- export-study --study ${SMC_STUDIES.join('|')} --contract <contract_id> --timeframe <tf>
         [--swing-length N] [--close-break true|false] [--join-consecutive true|false]
         [--close-mitigation true|false] [--range-percent x] [--from <ISO date-time>] --out FILE.csv
Writes one line per stored closed bar (from --from, else the first): timestamp, then the study's columns
(the library's names and order), NaN as an empty field. Parameters not given take the library's defaults.`;

/** The flags as parseArgs reads them (strict); throws parseArgs' error naming a flag it refuses. */
export function readExportStudyFlags(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      study: { type: 'string' },
      contract: { type: 'string' },
      timeframe: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      'swing-length': { type: 'string' },
      'close-break': { type: 'string' },
      'join-consecutive': { type: 'string' },
      'close-mitigation': { type: 'string' },
      'range-percent': { type: 'string' },
    },
    strict: true,
  });
}

/** What a usage problem prints (on stderr; the exit code is 2). */
export function exportStudyUsageError(message: string): string {
  return `${message}\n${EXPORT_STUDY_USAGE}`;
}
