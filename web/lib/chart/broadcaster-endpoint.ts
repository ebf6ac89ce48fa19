// Where the browser reaches the broadcaster: a configured URL, or the page's own host on the
// broadcaster's port (so one settings file serves localhost and a LAN address alike).
export type BroadcasterEndpoint = { readonly url: string } | { readonly port: number };

export function broadcasterUrl(endpoint: BroadcasterEndpoint, page: Pick<Location, 'protocol' | 'hostname'>): string {
  if ('url' in endpoint) return endpoint.url;
  const scheme = page.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${page.hostname}:${endpoint.port}`;
}
