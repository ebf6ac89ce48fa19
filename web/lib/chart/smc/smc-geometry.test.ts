import { describe, expect, it } from 'vitest';
import { clipBand, clipSpan, fittedLabel, labelWidth } from './smc-geometry.ts';

describe('clipSpan', () => {
  it('clips to the pane and runs an open span to the right edge', () => {
    expect(clipSpan(-50, 100, 800)).toEqual({ x1: 0, x2: 100 });
    expect(clipSpan(700, 900, 800)).toEqual({ x1: 700, x2: 800 });
    expect(clipSpan(10, undefined, 800)).toEqual({ x1: 10, x2: 800 });
  });

  it('skips spans off the pane or under a pixel across', () => {
    expect(clipSpan(-100, -10, 800)).toBeNull();
    expect(clipSpan(810, undefined, 800)).toBeNull();
    expect(clipSpan(100, 100.5, 800)).toBeNull();
    expect(clipSpan(100, 101, 800)).toEqual({ x1: 100, x2: 101 });
  });
});

describe('clipBand', () => {
  it('orders and clips the two prices coordinates', () => {
    expect(clipBand(300, 200, 600)).toEqual({ y1: 200, y2: 300 });
    expect(clipBand(-40, 20, 600)).toEqual({ y1: 0, y2: 20 });
    expect(clipBand(590, 700, 600)).toEqual({ y1: 590, y2: 600 });
  });

  it('keeps a one-tick gap a pixel tall, and skips bands off the pane', () => {
    expect(clipBand(250.2, 250, 600)).toEqual({ y1: 250, y2: 251 });
    expect(clipBand(-20, -5, 600)).toBeNull();
    expect(clipBand(610, 650, 600)).toBeNull();
  });
});

describe('fittedLabel', () => {
  it('gives the label only when it fits across and down', () => {
    const w = labelWidth('CHoCH');
    expect(fittedLabel('CHoCH', w)).toBe('CHoCH');
    expect(fittedLabel('CHoCH', w - 1)).toBeNull();
    expect(fittedLabel('OB', 100, 5)).toBeNull();
    expect(fittedLabel('OB', 100, 20)).toBe('OB');
  });
});
