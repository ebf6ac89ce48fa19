// A strategy file (config/strategies/*.yaml): read, parsed and validated; errors name the file and key.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TradingError } from '@barstream/core/trading';
import { parse } from 'yaml';

export interface StrategyFile {
  readonly path: string;
  /** The YAML's `id` (strategies.strategy_id). */
  readonly id: string;
  /** The text as written (strategies.config_yaml). */
  readonly yaml: string;
  /** The parsed document: a run config, possibly without `instrument` (it defaults from the contract). */
  readonly document: Record<string, unknown>;
  /** `mode: paper` (or kind: paper): the trader keeps one paper run of it going. */
  readonly paper: boolean;
}

/** Parses a strategy's YAML text (`source` names it in errors). `mode` is this file format's own key. */
export function parseStrategyText(yaml: string, source: string): Omit<StrategyFile, 'path'> {
  let doc: unknown;
  try {
    doc = parse(yaml);
  } catch (err) {
    throw new TradingError('invalid_run_config', `${source}: not YAML: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new TradingError('invalid_run_config', `${source}: (root): expected a mapping of run settings`);
  }
  const { mode, ...document } = doc as Record<string, unknown>;
  if (mode !== undefined && mode !== 'paper' && mode !== 'backtest') {
    throw new TradingError('invalid_run_config', `${source}: mode: expected paper or backtest, got ${JSON.stringify(mode)}`);
  }
  if (mode !== undefined && document.kind === undefined) document.kind = mode;
  const id = document.id;
  if (typeof id !== 'string') throw new TradingError('invalid_run_config', `${source}: id: required (a lowercase name)`);
  return { id, yaml, document, paper: document.kind === 'paper' };
}

export function readStrategyFile(path: string): StrategyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new TradingError('strategy_file', `${path}: cannot read: ${(err as Error).message}`);
  }
  return { path, ...parseStrategyText(text, path) };
}

/** Every *.yaml / *.yml in `dir` (sorted, so ids clash the same way every time); none when it is absent. */
export function strategyFilesIn(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.endsWith('.yaml') || n.endsWith('.yml'))
    .sort()
    .map((n) => join(dir, n));
}
