// Batch evaluation: the rule engine over stored bars and signals in their canonical order — the alerts a live run must have produced.
import type { Alert } from './alert.ts';
import { compareEvents, fixedCloseTime, knownAt, type EngineEvent } from './engine-events.ts';
import { RuleEngine, type RuleEngineOptions } from './rule-engine.ts';
import type { AlertRule } from './rule-schema.ts';

/** Events sorted into the canonical order (knownAt, then compareEvents' tie-breaks); the input is not changed. */
export function canonicalOrder(events: readonly EngineEvent[], options: RuleEngineOptions = {}): EngineEvent[] {
  const closeTimeOf = options.closeTimeOf ?? fixedCloseTime;
  const keyed = events.map((event) => ({ event, at: knownAt(event, closeTimeOf) }));
  keyed.sort((a, b) => a.at - b.at || compareEvents(a.event, b.event, closeTimeOf));
  return keyed.map((k) => k.event);
}

/** Every alert the rules produce over these events (any order in; canonical order used). */
export function evaluateBatch(rules: readonly AlertRule[], events: readonly EngineEvent[], options: RuleEngineOptions = {}): Alert[] {
  const engine = new RuleEngine(rules, options);
  const out: Alert[] = [];
  for (const event of canonicalOrder(events, options)) {
    for (const alert of engine.process(event)) out.push(alert);
  }
  return out;
}

/**
 * The restart path: a new engine fed `past` (from the same first event as before, in canonical order),
 * its alerts discarded — they were produced, and stored under their keys, before the restart.
 */
export function rebuildEngine(rules: readonly AlertRule[], past: readonly EngineEvent[], options: RuleEngineOptions = {}): RuleEngine {
  const engine = new RuleEngine(rules, options);
  for (const event of past) engine.replay(event);
  return engine;
}
