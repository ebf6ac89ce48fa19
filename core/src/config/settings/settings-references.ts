// The checks of config/settings.yaml that span sections (a contract's calendar, the ingester's contracts, …).
import { z } from 'zod';
import { didYouMean, expected } from '../config-messages.ts';
import { DEFAULT_CALENDARS } from './calendar-settings.ts';
import type { SettingsSections } from './settings-sections.ts';
import { isUnlistedVenueProduct } from './unlisted-venue-products.ts';
import { timeframeText } from './setting-fields.ts';

/** Checks across sections: contract ids and calendars, SMC study keys, retention timeframes, the
 * ingester's contracts against contracts: and its provider. */
export function checkSettingsReferences(settings: SettingsSections, ctx: z.RefinementCtx<SettingsSections>): void {
  const calendars = [...new Set([...Object.keys(settings.session_calendars), ...Object.keys(DEFAULT_CALENDARS)])];
  const seen = new Set<string>();
  settings.contracts.forEach((contract, i) => {
    if (seen.has(contract.id))
      ctx.addIssue({
        code: 'custom',
        path: ['contracts', i, 'id'],
        input: contract.id,
        message: `duplicate contract id ${JSON.stringify(contract.id)}`,
      });
    seen.add(contract.id);
    if (!calendars.includes(contract.session_calendar)) {
      ctx.addIssue({
        code: 'custom',
        path: ['contracts', i, 'session_calendar'],
        input: contract.session_calendar,
        message: `${expected(`a calendar under session_calendars (${calendars.join(', ')})`)({ input: contract.session_calendar })}${didYouMean(contract.session_calendar, calendars)}`,
      });
    }
  });
  const studyKeys = new Set<string>();
  settings.analyzer.smc.forEach((study, i) => {
    for (const tf of study.timeframes) {
      const key = `${study.study_id}|${study.contract_id}|${tf}`;
      if (studyKeys.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['analyzer', 'smc', i, 'study_id'],
          input: study.study_id,
          message: `duplicate SMC study ${JSON.stringify(study.study_id)} on ${study.contract_id} ${tf}`,
        });
      studyKeys.add(key);
    }
  });
  for (const label of Object.keys(settings.retention.bars)) {
    if (!timeframeText.safeParse(label).success)
      ctx.addIssue({
        code: 'custom',
        path: ['retention', 'bars', label],
        input: label,
        message: `expected a timeframe like 1m, 5m, 1h, 4h, 1d, 1w, 1mo as the key, got ${JSON.stringify(label)}`,
      });
  }
  const provider = settings.ingester.provider;
  settings.ingester.contracts.forEach((id, i) => {
    const known = settings.contracts.find((c) => c.id === id);
    const path = ['ingester', 'contracts', i];
    if (known) {
      if (known.provider !== provider && provider !== 'replay') {
        ctx.addIssue({
          code: 'custom',
          path,
          input: id,
          message: `contract ${JSON.stringify(id)} belongs to provider ${known.provider}, not ${provider} (ingester.provider)`,
        });
      }
    } else if (!isUnlistedVenueProduct(provider, id)) {
      const ids = settings.contracts.map((c) => c.id);
      ctx.addIssue({
        code: 'custom',
        path,
        input: id,
        message: `${expected('the id of a contract under contracts:')({ input: id })}${didYouMean(id, ids)}`,
      });
    }
  });
}
