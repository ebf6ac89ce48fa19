// The usage of `npm run analyzer -- export-study`, in a module of its own that loads neither zod nor core's
// barrel: `npm run analyzer -- --help` prints it before any command's modules load.
import { SMC_STUDIES } from '@barstream/core/smc-studies';

export const EXPORT_STUDY_USAGE = `usage: npm run analyzer -- export-study --study ${SMC_STUDIES.join('|')} --contract <contract_id> --timeframe <tf>
         [--swing-length N] [--close-break true|false] [--join-consecutive true|false]
         [--close-mitigation true|false] [--range-percent x] [--from <ISO date-time>] --out FILE.csv
Writes one line per stored closed bar (from --from, else the first): timestamp, then the study's columns
(the library's names and order), NaN as an empty field. Parameters not given take the library's defaults.`;
