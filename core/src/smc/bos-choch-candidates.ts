// BOS/CHOCH candidates (spec §4.1): the four-swing patterns and the rule that deletes a broken candidate (§4.3).

/** One candidate: row r (the second of four swings), its sign, BOS or CHOCH, float32 level, break bar (−1: unbroken). */
export interface BosChochCandidate {
  readonly row: number;
  readonly sign: number;
  readonly choch: boolean;
  readonly level: number;
  broken: number;
}

/**
 * The candidate of the four swings with labels t0…t3 and levels a…d on row `row`, or undefined.
 * A level that rounds to 0 counts as no level (spec §4.4, degenerate).
 */
export function bosChochCandidate(
  row: number,
  t0: number,
  t1: number,
  t2: number,
  t3: number,
  a: number,
  b: number,
  c: number,
  d: number,
): BosChochCandidate | undefined {
  let sign = 0;
  let choch = false;
  if (t0 === -1 && t1 === 1 && t2 === -1 && t3 === 1) {
    if (a < c && c < b && b < d) sign = 1;
    else if (c < a && a < b && b < d) {
      sign = 1;
      choch = true;
    }
  } else if (t0 === 1 && t1 === -1 && t2 === 1 && t3 === -1) {
    if (a > c && c > b && b > d) sign = -1;
    else if (c > a && a > b && b > d) {
      sign = -1;
      choch = true;
    }
  }
  const level = Math.fround(b);
  if (sign === 0 || level === 0) return undefined;
  return { row, sign, choch, level, broken: -1 };
}

/**
 * Whether broken candidate `cands[k]` is deleted by a later one (q ≤ j−2 broken at or before its break j);
 * `cands` is in row order. Only candidates up to row j−2 can delete it.
 */
export function deletedByLater(cands: readonly BosChochCandidate[], k: number): boolean {
  const j = cands[k]!.broken;
  for (let q = k + 1; q < cands.length; q++) {
    const other = cands[q]!;
    if (other.row > j - 2) return false;
    if (other.broken >= 0 && other.broken <= j) return true;
  }
  return false;
}
