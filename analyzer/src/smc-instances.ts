// SMC study instances from config (analyzer.smc): one (study_id, contract, timeframe) unit per runner.
import { formatTimeframe, parseTimeframe, smcParams, type SmcParams, type Settings, type Timeframe } from '@barstream/core';

export interface SmcInstance {
  readonly studyId: string;
  readonly contractId: string;
  readonly timeframe: Timeframe;
  /** Readable form stored in smc_events.timeframe / zones.timeframe / smc_study_state.timeframe. */
  readonly timeframeLabel: string;
  readonly params: SmcParams;
  /** The configured window: every bar from a date, or the last N bars when the instance first ran. */
  readonly window: { readonly from: number } | { readonly last: number };
  /** One string identity: study|contract|timeframe. */
  readonly key: string;
}

/** The window as text in smc_study_state.window_spec: a change of it resolves the first bar again. */
export function windowSpec(instance: SmcInstance): string {
  return 'from' in instance.window ? `from:${new Date(instance.window.from).toISOString()}` : `last:${instance.window.last}`;
}

export function smcInstances(settings: Settings): SmcInstance[] {
  const out: SmcInstance[] = [];
  for (const study of settings.analyzer.smc) {
    for (const tfText of study.timeframes) {
      const timeframe = parseTimeframe(tfText);
      const timeframeLabel = formatTimeframe(timeframe);
      out.push({
        studyId: study.study_id,
        contractId: study.contract_id,
        timeframe,
        timeframeLabel,
        params: Object.freeze(smcParams(study.params)),
        window: study.from !== undefined ? { from: Date.parse(study.from) } : { last: study.last ?? 1 },
        key: `${study.study_id}|${study.contract_id}|${timeframeLabel}`,
      });
    }
  }
  return out;
}
