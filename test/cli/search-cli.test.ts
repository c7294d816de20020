import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('npm run search -- --json', () => {
  it('writes one JSON object per input line, best first, empty results when nothing matches', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/search.ts', '--json'], { input: 'syarat skck\nharga emas\n\npaspor hilang\n', encoding: 'utf8' });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { query: string; results: Array<{ id: string; score: number }> });
    expect(lines.map((l) => l.query)).toEqual(['syarat skck', 'harga emas', '', 'paspor hilang']);
    expect(lines[0]!.results.map((r) => r.id)).toContain('polri-skck-baru');
    expect(lines[1]!.results).toEqual([]);
    expect(lines[2]!.results).toEqual([]);
    expect(lines[3]!.results[0]).toEqual({ id: 'imigrasi-paspor-hilang-rusak', score: expect.any(Number) });
    expect(Object.keys(lines[0]!).sort()).toEqual(['query', 'results']);
  });

  it('catalogue:check validates content and flows and prints accuracy', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/catalogue-check.ts', '--min-top1', '95'], { encoding: 'utf8' });
    // Every service file must load: the count printed is the number of files in content/services.
    const files = readdirSync('content/services').filter((f) => f.endsWith('.yaml')).length;
    expect(files).toBeGreaterThanOrEqual(46);
    expect(run.stdout).toContain(`content ok: ${files} services`);
    expect(run.stdout).toContain('flows ok');
    expect(run.stdout).toMatch(/top-1 \d+\.\d%/);
    expect(run.status).toBe(0);
  });
});
