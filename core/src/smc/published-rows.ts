// Published rows of one study in the live engine: what the consumer was last told per row, and the changes of a bar.
import { SMC_STUDY_COLUMNS, type SmcStudy } from './smc-params.ts';

/**
 * One row of a study after a closed bar: its values in the library's column order (all NaN: the row is
 * empty) and whether they are final (`confirmed`: no column of this row changes again, spec §7).
 */
export interface SmcRowChange {
  readonly study: SmcStudy;
  readonly row: number;
  readonly values: readonly number[];
  readonly confirmed: boolean;
}

interface RowState {
  values: readonly number[] | undefined;
  confirmed: boolean;
}

const same = (a: number, b: number): boolean => a === b || (a !== a && b !== b);

export class PublishedRows {
  private readonly rows = new Map<number, RowState>();
  private readonly staged = new Map<number, RowState>();
  private readonly empty: readonly number[];

  constructor(readonly study: SmcStudy) {
    this.empty = SMC_STUDY_COLUMNS[study].map(() => NaN);
  }

  /** Rows currently holding values. */
  shownRows(): number[] {
    return [...this.rows.keys()];
  }

  /** Sets what row `row` should show after this bar (undefined: empty); the last stage of a row wins. */
  stage(row: number, values: readonly number[] | undefined, confirmed: boolean): void {
    this.staged.set(row, { values, confirmed });
  }

  /** Publishes the staged rows, appending to `out` each row whose values or tag changed. */
  flush(out: SmcRowChange[]): void {
    for (const [row, next] of this.staged) {
      const prev = this.rows.get(row);
      if (next.values === undefined) {
        if (prev === undefined) continue;
        this.rows.delete(row);
        out.push({ study: this.study, row, values: this.empty, confirmed: next.confirmed });
        continue;
      }
      if (prev?.values && prev.confirmed === next.confirmed && prev.values.every((v, c) => same(v, next.values![c]!))) continue;
      this.rows.set(row, next);
      out.push({ study: this.study, row, values: next.values, confirmed: next.confirmed });
    }
    this.staged.clear();
  }
}
