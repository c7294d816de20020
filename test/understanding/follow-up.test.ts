import { describe, expect, it } from 'vitest';
import type { FollowUpTopic } from '../../src/understanding/types.js';
import { read } from './fixture.js';

const PASPOR = 'imigrasi-paspor-baru';

/** Follow-up questions with a service in context: each must give the topic for that service. */
const topics: Record<FollowUpTopic, string[]> = {
  fee: [
    'biayanya brp', 'biaya nya berapa ya', 'bayar ga', 'bayar gak kak?', 'gratis kan', 'gratis ga?', 'berapa duit', 'harganya berapa', 'kena berapa ya',
    'kalo yg 10 tahun', 'yang 5 tahun berapa', 'tarifnya', 'ada biaya?', 'how much is it', 'is it free?', 'what is the fee', 'how much does it cost',
  ],
  duration: [
    'brp lama jadinya', 'jadinya berapa hari', 'berapa lama', 'kapan jadinya', 'bisa langsung jadi?', 'sehari jadi ga', 'selesainya kapan', 'lama ga prosesnya',
    'how long does it take', 'how many days', 'is it same day?',
  ],
  online: ['bisa online?', 'ada cara online nya ga', 'bisa lewat aplikasi?', 'bisa dari rumah ga', 'daftar online bisa?', 'can i do it online', 'is there a website'],
  location: ['loketnya dimana', 'di loket berapa', 'loket mana ya', 'lantai berapa', 'which counter', 'where is the counter'],
  agency: ['siapa yang melayani', 'instansinya apa', 'dilayani siapa', 'which agency handles it', 'who handles this'],
  procedure: ['caranya gmn', 'caranya gimana kak', 'alurnya gimana', 'prosedurnya apa', 'langkahnya apa aja', 'what are the steps', 'what is the procedure'],
  requirements: ['syaratnya apa aja tadi', 'syaratnya apa', 'bawa apa aja', 'berkasnya apa aja', 'dokumennya apa', 'harus bawa apa', 'what do i need to bring', 'requirements?'],
  fines: ['dendanya', 'dendanya berapa', 'kena denda ga kalau telat', 'telat bayar gimana', 'is there a fine', 'what is the penalty'],
  children: ['buat anak', 'kalau untuk anak gimana', 'anak saya umur 5 tahun', 'untuk bayi bisa?', 'for my child', 'for my daughter'],
  lost: ['kalau hilang', 'kalo ilang gimana', 'kalau rusak?', 'kecurian gimana', 'what if it is lost', 'it was stolen'],
  representation: [
    'bisa diwakilkan?', 'boleh diwakilkan saudara?', 'boleh suami saya yang datang?', 'bisa diwakili istri?', 'boleh titip ke adik?', 'pakai surat kuasa bisa?',
    'harus datang sendiri?', 'bisa orang lain yang urus', 'boleh ortu saya yang ambil?', 'can someone else apply for me', 'can my wife come instead', 'do i have to come in person',
  ],
  eligibility: ['siapa yang boleh daftar', 'siapa saja yang bisa', 'ada batas umur?', 'umur berapa boleh', 'ktp luar kota bisa?', 'who can apply', 'is there an age limit', 'who is eligible'],
};

describe('follow-up questions about the service in context', () => {
  for (const [topic, texts] of Object.entries(topics)) {
    it.each(texts)(`"%s" asks ${topic}`, async (text) => {
      const u = await read(text, { serviceId: PASPOR });
      expect(u.intents[0], JSON.stringify(u.intents)).toEqual({ kind: 'follow_up', topic, serviceId: PASPOR });
    });
  }

  it('another service named in the message is a new request, with the topic kept', async () => {
    for (const [text, id] of [
      ['biaya skck baru berapa', 'polri-skck-baru'],
      ['kalau akta kelahiran bayar ga', 'dukcapil-akta-kelahiran'],
      ['syarat kk baru apa aja', 'dukcapil-kk-baru'],
      ['perpanjang sim bisa diwakilkan?', 'polri-sim-perpanjangan'],
    ] as const) {
      const u = await read(text, { serviceId: PASPOR });
      expect(u.intents[0], text).toMatchObject({ kind: 'services' });
      expect((u.intents[0] as { serviceIds: string[] }).serviceIds[0], text).toBe(id);
      expect(u.intents.some((i) => i.kind === 'follow_up'), text).toBe(false);
    }
  });

  it('the same service named again is still a follow-up', async () => {
    expect((await read('biaya paspor baru berapa', { serviceId: PASPOR })).intents[0]).toMatchObject({ kind: 'follow_up', topic: 'fee' });
  });

  it('without a service in context a topic question is a topic without service', async () => {
    expect((await read('biayanya brp?')).intents[0]).toEqual({ kind: 'topic_without_service', topic: 'fee' });
    expect((await read('bisa diwakilkan?')).intents[0]).toEqual({ kind: 'topic_without_service', topic: 'representation' });
  });

  it('a topic with a service named and none in context is that service with the topic', async () => {
    expect((await read('biaya paspor berapa')).intents[0]).toMatchObject({ kind: 'services', topic: 'fee' });
    expect((await read('skck bisa online?')).intents[0]).toMatchObject({ kind: 'services', topic: 'online' });
  });
});
