// A request the page starts before its scripts have loaded: an inline script in the server-rendered
// HTML fetches the chart's first bars while the bundle downloads, parses and hydrates, and the chart
// takes that answer instead of asking again (a cold /trends asked for its bars only after hydration,
// about a second after navigation on a loaded machine). Each answer is taken once; a chart mounted
// later (a client-side navigation, a remount) fetches as usual. The answer's JSON is parsed as it
// arrives, while the page still waits for its scripts, not after the chart has mounted.

import { scriptJson } from './script-json.ts';

/** The global the inline script fills: request path → its answer. */
const GLOBAL_KEY = '__barstreamEarly';

export interface EarlyAnswer {
  readonly ok: boolean;
  readonly status: number;
  /** The body's JSON; undefined when the body was not JSON (an HTML error page). */
  readonly body: unknown;
}

type EarlyAnswers = Record<string, Promise<EarlyAnswer> | undefined>;

/** The inline script that starts fetching `path` (same-origin, e.g. `/api/ohlc?…`) at once, or takes
 * the page's preload of it (early-bars.tsx): a default fetch (no init), as a preload only matches a
 * request of the same mode, credentials and cache mode. /api/* answers are `Cache-Control: no-store`
 * (lib/api/http-errors.ts), so the default cache mode stores and reuses nothing either. */
export function earlyFetchScript(path: string): string {
  return (
    `(function(p){var w=window,a=w.${GLOBAL_KEY}=w.${GLOBAL_KEY}||{};` +
    `a[p]=fetch(p).then(function(r){return r.text().then(function(t){var b;try{b=JSON.parse(t)}catch(e){}return{ok:r.ok,status:r.status,body:b}})});` +
    `a[p].catch(function(){})})(${scriptJson(path)})`
  );
}

function earlyAnswers(): EarlyAnswers | undefined {
  if (typeof window === 'undefined') return undefined;
  return (window as unknown as Record<string, EarlyAnswers | undefined>)[GLOBAL_KEY];
}

/** The early answer for `path` if the page started one and nobody took it yet, left in place. */
export function peekEarlyAnswer(path: string): Promise<EarlyAnswer> | undefined {
  return earlyAnswers()?.[path];
}

/** The early answer for `path` if the page started one (and nobody took it yet). */
export function takeEarlyAnswer(path: string): Promise<EarlyAnswer> | undefined {
  const answers = earlyAnswers();
  const answer = answers?.[path];
  if (answers && answer) delete answers[path];
  return answer;
}
