// Tells when the chart has first drawn its pane on a canvas of real size. lightweight-charts sizes
// its canvases from a ResizeObserver, so that happens in the frame after the chart is created. A
// series built before that frame sets up its bar styles on its first draw (options count as changed
// at creation): on an empty series that is free, but when the first draw already holds 10,000 bars
// it restyles every one of them (an object spread a bar, per series: 30–50 ms of the first paint in
// Chromium's profile). So the first bars go in after this frame (live-candles.ts).
import type { IPrimitivePaneRenderer, IPrimitivePaneView, ISeriesPrimitive, Time } from 'lightweight-charts';

export class FirstDrawPrimitive implements ISeriesPrimitive<Time> {
  /** Resolves in the chart's first draw on a real canvas, once every series of the pane was drawn. */
  readonly drawn: Promise<void>;
  private readonly views: readonly IPrimitivePaneView[];

  constructor() {
    let resolve: () => void = () => undefined;
    this.drawn = new Promise<void>((r) => {
      resolve = r;
    });
    // draw() is only ever called with a canvas to draw on: the pane had its size. It draws nothing.
    const renderer: IPrimitivePaneRenderer = { draw: () => resolve() };
    // The same array each time: lightweight-charts keeps its wrappers while the array is the same.
    this.views = [{ renderer: () => renderer }];
  }

  paneViews(): readonly IPrimitivePaneView[] {
    return this.views;
  }
}
