import { parseBarCsv } from '/work/main/core/src/bar-csv.ts';
const N = 1_000_000;
const t0 = Date.UTC(2020,0,1);
let text = 'contract_id,timestamp,open,high,low,close,volume,timeframe_unit,timeframe_value\n';
const parts: string[] = [];
for (let i = 0; i < N; i++) {
  const ts = new Date(t0 + i * 60000).toISOString().slice(0, 19).replace('T', ' ') + '+00:00';
  parts.push(`CON.F.US.MES.M25,${ts},5000.25,5001.5,4999.75,5000.75,${i % 1000},2,1`);
}
text += parts.join('\n') + '\n';
const s = performance.now();
const r = parseBarCsv(text);
console.log(r.bars.length, r.errors.length, (performance.now() - s).toFixed(0), 'ms');
