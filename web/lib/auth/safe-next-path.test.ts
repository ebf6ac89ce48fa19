import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next-path.ts';

describe('safeNextPath', () => {
  it('keeps a path on this site', () => {
    expect(safeNextPath('/trends?contract=SIM.MES&tf=1m')).toBe('/trends?contract=SIM.MES&tf=1m');
    expect(safeNextPath('/')).toBe('/');
  });
  it.each([undefined, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'trends', `/${'x'.repeat(2_001)}`])(
    'sends %j to /trends',
    (next) => expect(safeNextPath(next)).toBe('/trends'),
  );
});
