import { describe, expect, it } from 'vitest';
import { barChart } from '../../src/http/admin/charts.js';

const waits = (max: number, target: number) =>
  barChart({ title: 'Rata-rata tunggu', labels: ['09.00–10.00', '10.00–11.00'], series: [{ key: 'wait', label: 'Rata-rata tunggu', values: [4.5, 2] }], max, format: (v) => `${v} mnt`, guides: [{ at: target, label: `target ${target} mnt` }] });

describe('report bar charts', () => {
  it('draws no target line when the target is beyond the scale, instead of one at the longest bar', () => {
    const svg = waits(4.5, 30);
    expect(svg).not.toContain('class="guide"');
    expect(svg).not.toContain('target 30 mnt');
  });

  it('draws a target line within the scale at its place, its label kept inside the drawing near the right edge', () => {
    const inside = waits(60, 30);
    // 250 px of labels, then 440 px of scale: 30 of 60 minutes is at 470.
    expect(inside).toContain('<line class="guide" x1="470"');
    expect(inside).toContain('<text class="guide-label" x="473" y="32">target 30 mnt</text>');
    const nearEnd = waits(31, 30);
    const x = Number(/<line class="guide" x1="([\d.]+)"/.exec(nearEnd)![1]);
    expect(nearEnd).toContain(`<text class="guide-label" x="${x - 3}" y="32" text-anchor="end">target 30 mnt</text>`);
  });
});
