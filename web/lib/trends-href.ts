// The one spelling of a /trends URL: contract and timeframe live in the query string.
export function trendsHref(contractId: string, timeframe: string): string {
  return `/trends?${new URLSearchParams({ contract: contractId, tf: timeframe }).toString()}`;
}
