import { describe, expect, it } from 'vitest';
import { LAPOR_URL, linkOnly } from '../../src/complaints/lapor.js';
import { slow, testComplaints } from './support.js';

describe('the LAPOR! adapter', () => {
  it('gives the public link today, whatever the complaint', async () => {
    const { store } = testComplaints();
    const { reference } = await store.create({ ...slow, category: 'pungli' }, { locale: 'id' });
    expect(await linkOnly().submit((await store.get(reference))!)).toEqual({ kind: 'link', url: LAPOR_URL });
    expect(LAPOR_URL).toBe('https://www.lapor.go.id');
  });
});
