// A strategy's YAML text → its run config, checked by the engine's own schema; a mistake is a
// ValidationError naming the key (`config_yaml.sizing.qty`), answered 400 by the error mapper.
import { ValidationError } from '@barstream/core';
import { parseStrategyRunConfig, type StrategyRunConfig, TradingError } from '@barstream/core/trading';
import { parse as parseYaml, YAMLParseError } from 'yaml';

export interface ParsedStrategy {
  /** The YAML document as a plain object (before defaults): overridden and re-checked for a run. */
  readonly document: Record<string, unknown>;
  readonly config: StrategyRunConfig;
}

/** The YAML document, or a ValidationError on `field` (bad syntax, not a mapping). */
export function yamlDocument(text: string, field: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (err) {
    if (err instanceof YAMLParseError) throw new ValidationError(field, `is not valid YAML: ${err.message.split('\n')[0]}`);
    throw err;
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new ValidationError(field, 'must be a YAML mapping of the run config (id, kind, contract, timeframe, signals, …)');
  }
  return document as Record<string, unknown>;
}

/** parseStrategyRunConfig's problems as one ValidationError whose field is the first key path. */
export function checkedRunConfig(document: Record<string, unknown>, field: string): StrategyRunConfig {
  try {
    return parseStrategyRunConfig(document, field);
  } catch (err) {
    if (!(err instanceof TradingError)) throw err;
    const lines = err.message.split('\n').map((line) => line.slice(field.length + 2));
    const key = /^([^:]+):/.exec(lines[0] ?? '')?.[1] ?? '(root)';
    throw new ValidationError(`${field}.${key}`, lines.join('; '));
  }
}

export function parseStrategyYaml(text: string, field = 'config_yaml'): ParsedStrategy {
  const document = yamlDocument(text, field);
  return { document, config: checkedRunConfig(document, field) };
}
