// Node.js flags the analyzer runs with (npm start's supervisor, run-services.sh, `npm run start -w analyzer`
// and bench:analyze use them; scripts/service-node-flags.test.ts checks the places that must spell them out).
// V8 sets the old generation's next full-GC limit from the heap left after the last one (×1.1–4, plus the
// young generation's size); with the analyzer's small live heap (~25 MB at 20 targets) after a catch-up had
// grown the young generation to 16 MB, that left less room than the young generation, so V8 began an
// incremental mark-compact again right after each one finished: one every ~0.5 s at 200 bars/s, pauses of
// 10–100 ms on the bar close → signal path (bench:analyze). An initial old space is also V8's floor for that
// limit ("allow V8 to skip full GCs below that threshold"): no full GC until 96 MB are used.
export const ANALYZER_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=96'];
