import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.ts';
import { parseQuery } from './parse-query.ts';
import { apiRoutes } from './routes.ts';
import { SMC_DEFAULT_LIMIT } from './defaults.ts';

const q = (s: string) => new URLSearchParams(s);

describe('SMC route parameters', () => {
  it('reads kinds, studies and active, with everything else optional', () => {
    expect(parseQuery(apiRoutes.smcEvents.query, q('contract_id=X&timeframe=5m&kind=bos, choch,bos'))).toMatchObject({
      contractId: 'X',
      timeframe: { unit: 2, value: 5 },
      kinds: ['bos', 'choch'],
      studyId: undefined,
      limit: SMC_DEFAULT_LIMIT,
    });
    expect(parseQuery(apiRoutes.smcZones.query, q('contract_id=X&timeframe=4h&study=ob&active=false&study_id=s1'))).toMatchObject({
      studies: ['ob'],
      active: false,
      studyId: 's1',
    });
    expect(parseQuery(apiRoutes.smcZones.query, q('contract_id=X&timeframe=4h'))).toMatchObject({ studies: undefined, active: undefined });
  });
});

describe('SMC routes in the OpenAPI document', () => {
  const doc = openApiDocument() as {
    paths: Record<string, { get: { parameters: { name: string; description?: string }[]; responses: Record<string, unknown> } }>;
  };

  it('documents both paths with their filters, a 404 and the row shapes', () => {
    const zones = doc.paths['/api/smc/zones']?.get;
    const events = doc.paths['/api/smc/events']?.get;
    expect(zones?.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['study_id', 'study', 'active', 'from', 'to', 'limit']));
    expect(events?.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['study_id', 'kind', 'from', 'to', 'limit']));
    expect(zones?.parameters.find((p) => p.name === 'active')?.description).toMatch(/not mitigated/);
    expect(zones?.responses['404']).toBeDefined();
    expect(JSON.stringify(zones?.responses['200'])).toContain('mitigated_time');
    expect(JSON.stringify(events?.responses['200'])).toContain('broken_time');
  });
});
