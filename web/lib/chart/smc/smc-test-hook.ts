// window.__barstreamSmc: what the SMC drawing holds and draws now, for browser tests (beside the
// chart's own window.__barstream hook).
import type { SmcLayer } from './smc-layer.ts';
import type { SmcViewport } from './smc-primitive.ts';
import type { SmcScene } from './smc-scene.ts';

export interface SmcTestHook {
  /** Loads finished (initial, refetches, live updates). */
  readonly loads: number;
  readonly zoneRows: number;
  readonly eventRows: number;
  /** The shapes drawn at the current zoom. */
  scene(): SmcScene;
  /** What is in view now, to tell which rows should be drawn. */
  viewport(): SmcViewport | null;
}

declare global {
  interface Window {
    __barstreamSmc?: SmcTestHook;
  }
}

export function publishSmcTestHook(layer: SmcLayer): () => void {
  const hook: SmcTestHook = {
    get loads() {
      return layer.loads;
    },
    get zoneRows() {
      return layer.zones.size;
    },
    get eventRows() {
      return layer.events.size;
    },
    scene: () => layer.primitive.scene,
    viewport: () => layer.primitive.viewport(),
  };
  window.__barstreamSmc = hook;
  return () => {
    if (window.__barstreamSmc === hook) delete window.__barstreamSmc;
  };
}
