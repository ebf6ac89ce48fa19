// The restart protocol a paper trader will follow, at the engine level: per input, apply it and store its
// records with the input's position as the watermark in one transaction; a crash can come before the
// store commits. On restart, replay the inputs up to the watermark (resumeEngine) and continue after
// it. Whatever the crash points, the stored rows equal the uninterrupted backtest's: no order placed
// twice, no fill lost, the same final equity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './engine-events.ts';
import { resumeEngine, runEngine } from './engine-run.ts';
import { PARAMS, runArb } from './test-run-arbitraries.ts';

describe('paper run with crashes == backtest', () => {
  it('stores the same records whatever the crash points', () => {
    const crashesArb = fc.array(fc.nat(), { maxLength: 5 });
    fc.assert(
      fc.property(runArb, crashesArb, ({ config, inputs }, crashes) => {
        const backtest = runEngine(config, { runId: 'p' }, inputs).events;
        // Crash before committing input k (k taken modulo the inputs), each crash point at most once.
        const crashAt = new Set(crashes.map((c) => c % Math.max(1, inputs.length)));
        const stored: EngineEvent[] = [];
        let watermark = 0; // inputs[0, watermark) are stored
        while (watermark < inputs.length) {
          let pending: EngineEvent[] = [];
          const engine = resumeEngine(config, { runId: 'p', emit: (e) => pending.push(e) }, inputs.slice(0, watermark));
          for (let k = watermark; k < inputs.length; k++) {
            engine.apply(inputs[k]!);
            if (crashAt.delete(k)) break; // the transaction never commits: its records are lost
            stored.push(...pending);
            pending = [];
            watermark = k + 1;
          }
        }
        expect(stored).toEqual(backtest);
        const placed = stored
          .filter((e) => e.type === 'order' && e.order.status === 'new')
          .map((e) => (e.type === 'order' ? e.order.clientOrderId : ''));
        expect(placed.filter((id, i) => placed.indexOf(id) !== i)).toEqual([]);
      }),
      PARAMS,
    );
  });
});
