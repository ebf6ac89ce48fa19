// The config a new run executes: a stored strategy's YAML or YAML given inline, with the body's
// contract/timeframe (and, for a backtest, its range) applied, then checked again as a whole.
import { NotFoundError } from '@barstream/core';
import type { StrategyRunConfig } from '@barstream/core/trading';
import { checkedRunConfig, yamlDocument } from './strategy-yaml.ts';
import type { Db } from './trade-notify.ts';

export interface RunSource {
  readonly strategy_id?: string | undefined;
  readonly config_yaml?: string | undefined;
  readonly contract?: string | undefined;
  readonly timeframe?: string | undefined;
}

export interface ResolvedRunConfig {
  /** The stored strategy the run belongs to (null for inline YAML). */
  readonly strategyId: string | null;
  readonly config: StrategyRunConfig;
}

export async function resolveRunConfig(
  prisma: Db,
  body: RunSource,
  kind: { readonly kind: 'paper' } | { readonly kind: 'backtest'; readonly from: Date; readonly to: Date },
): Promise<ResolvedRunConfig> {
  let yaml = body.config_yaml;
  let field = 'config_yaml';
  let strategyId: string | null = null;
  if (body.strategy_id !== undefined) {
    const row = await prisma.strategy.findUnique({ where: { strategyId: body.strategy_id }, select: { configYaml: true } });
    if (!row) throw new NotFoundError(`strategy '${body.strategy_id}'`);
    yaml = row.configYaml;
    field = `strategy '${body.strategy_id}'`;
    strategyId = body.strategy_id;
  }
  const document = yamlDocument(yaml ?? '', field);
  // A paper YAML can be backtested and a backtest YAML run on paper: the kind (and range) is the request's.
  const { from: _from, to: _to, ...rest } = document;
  const overridden: Record<string, unknown> = {
    ...rest,
    kind: kind.kind,
    ...(kind.kind === 'backtest' ? { from: kind.from.toISOString(), to: kind.to.toISOString() } : {}),
    ...(body.contract === undefined ? {} : { contract: body.contract }),
    ...(body.timeframe === undefined ? {} : { timeframe: body.timeframe }),
  };
  return { strategyId, config: checkedRunConfig(overridden, field) };
}
