// The contracts a raw tick_data_channel payload names, read without parsing it: a consumer that wants
// few contracts' ticks (the trader's tick-model runs) skips the others' payloads before paying for
// JSON.parse and the schema. Not a validation: a payload read here is still parsed before it is used.

/** `"contract_id": "…"` as a key: inside a JSON string a quote is escaped, so a value cannot fake it. */
const CONTRACT_ID_KEY = /"contract_id"\s*:\s*"([^"\\]*)(\\?)/g;

/** The contract ids a tick payload carries (every `contract_id` key, either form), or undefined when
 * one is written with an escape (read it by parsing). */
export function tickPayloadContractIds(raw: string): string[] | undefined {
  const ids: string[] = [];
  for (const match of raw.matchAll(CONTRACT_ID_KEY)) {
    if (match[2] === '\\') return undefined;
    ids.push(match[1] as string);
  }
  return ids;
}
