// What the chaos run asks a service over its metrics port: /health, and the ticks it rejected.

/** Whether the service on `port` answers /health with 2xx. */
export async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health`)).ok;
  } catch {
    return false;
  }
}

/** Until the service on `port` is healthy (at most 30 s); how long that took, in ms. */
export async function waitHealthy(port: number): Promise<number> {
  const t = Date.now();
  while (!(await healthy(port)) && Date.now() - t < 30_000) await new Promise((r) => setTimeout(r, 50));
  return Date.now() - t;
}

/** ingester_ticks_rejected_total since the ingester's last (re)start, from its /metrics. */
export async function rejectedSinceStart(port: number): Promise<number> {
  try {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    return text
      .split('\n')
      .filter((l) => l.startsWith('ingester_ticks_rejected_total'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  } catch {
    return -1;
  }
}
