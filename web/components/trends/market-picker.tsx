'use client';
// Contract and timeframe selectors; the choice lives in the URL (?contract=…&tf=…).
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { trendsHref } from '@barstream/core';

export interface MarketPickerProps {
  readonly contracts: readonly { readonly id: string; readonly name: string }[];
  readonly timeframes: readonly string[];
  readonly contractId: string;
  readonly timeframe: string;
}

export function MarketPicker({ contracts, timeframes, contractId, timeframe }: MarketPickerProps) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const go = (contract: string, tf: string) => startTransition(() => router.push(trendsHref(contract, tf)));

  return (
    <form className="market-picker" aria-busy={pending} onSubmit={(e) => e.preventDefault()}>
      <label>
        Contract
        <select name="contract" value={contractId} onChange={(e) => go(e.target.value, timeframe)} data-testid="contract-select">
          {contracts.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name ? `${c.id} · ${c.name}` : c.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        Timeframe
        <select name="tf" value={timeframe} onChange={(e) => go(contractId, e.target.value)} data-testid="timeframe-select">
          {timeframes.map((tf) => (
            <option key={tf} value={tf}>
              {tf}
            </option>
          ))}
        </select>
      </label>
    </form>
  );
}
