import { describe, expect, it } from 'vitest';
import { apiRouteLabel } from './api-route-label.ts';

describe('apiRouteLabel', () => {
  it('counts a read route under its path and an id path under its template', () => {
    expect(apiRouteLabel('/api/ohlc')).toBe('/api/ohlc');
    expect(apiRouteLabel('/api/trend-labels/17')).toBe('/api/trend-labels/{id}');
    expect(apiRouteLabel('/api/trend-labels/import')).toBe('/api/trend-labels/import');
  });

  it('counts paths no route serves as one series', () => {
    expect(apiRouteLabel('/api/nope/123')).toBe('unmatched');
    expect(apiRouteLabel('/api/trend-labels/abc')).toBe('unmatched');
  });
});
