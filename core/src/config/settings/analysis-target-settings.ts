// An analyzer.targets: entry of config/settings.yaml: a strategy run on a contract's timeframes.
import { z } from 'zod';
import { NO_PARAMS } from '../../strategies/strategy-params.ts';
import { findStrategy, strategyIds } from '../../strategies/strategy-registry.ts';
import { configErrorMap, didYouMean, expected } from '../config-messages.ts';
import { timeframeText } from './setting-fields.ts';

export const analysisTargetSchema = z
  .strictObject({
    analyzer_id: z.string().min(1),
    strategy: z.string().min(1),
    contract_id: z.string().min(1),
    timeframes: z.array(timeframeText).min(1),
    params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
  })
  .superRefine((target, ctx) => {
    const definition = findStrategy(target.strategy);
    if (!definition) {
      const known = strategyIds();
      ctx.addIssue({
        code: 'custom',
        path: ['strategy'],
        input: target.strategy,
        message: `${expected(`one of ${known.join(', ')}`)({ input: target.strategy })}${didYouMean(target.strategy, known)}`,
      });
      return;
    }
    // The strategy's own schema: its messages are complete, so issues keep them (paths under params).
    const result = (definition.params ?? NO_PARAMS).safeParse(target.params, { error: configErrorMap });
    if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ ...issue, path: ['params', ...issue.path] });
  });

export type AnalysisTarget = z.infer<typeof analysisTargetSchema>;
