// The names a rule written through the API may refer to (contracts, ingested timeframes, analyzer ids),
// from the web process's settings.
import 'server-only';
import { referencesOf, type RuleReferences } from '@barstream/core';
import { webConfig } from './config.ts';

let refs: RuleReferences | undefined;

export function ruleReferences(): RuleReferences {
  refs ??= referencesOf(webConfig().settings);
  return refs;
}
