import { describe, expect, it } from 'vitest';
import type { IntentKind } from '../../src/understanding/types.js';
import { read } from './fixture.js';

/** Messages whose first intent must be `kind`, with no service in context. */
const cases: Record<Exclude<IntentKind, 'follow_up' | 'services' | 'not_here' | 'unknown'>, string[]> = {
  ticket_status: [
    'antrian saya nomor brp', 'nomor antrian saya brp ya', 'masih lama ga', 'masih lama gak kak', 'udh sampe nomor brp', 'sudah sampai nomor berapa sekarang',
    'sekarang nomor berapa', 'kapan giliran saya', 'kapan saya dipanggil?', 'antreanku masih berapa orang lagi', 'cek antrian', 'status antrean saya',
    'berapa orang lagi sebelum saya', 'posisi antrian saya', 'my ticket', 'how long until my turn', 'what is my queue number', 'how many people ahead of me',
    'tiket saya gimana', 'nomor saya udah dipanggil belum', 'udah nomor brp', 'udh nomor berapa kak', 'antrian udah sampe mana',
  ],
  ticket_take: [
    'mau ambil nomor antrian', 'ambil nomor antrian', 'ambil antrian dong kak', 'minta nomor antrean', 'mau antri', 'daftar antrian',
    'take a queue number', 'queue number please', 'i need a queue number', 'get a ticket', 'i want a ticket', 'can i get a queue number', 'join the queue',
  ],
  kiosk_ticket: [
    'lanjut di chat', 'mau lanjut di chat aja', 'saya udah ambil nomor di mesin', 'nomor dari kiosk gimana ikutinnya', 'saya pegang kertas antrian', 'continue in the chat', 'i have a paper ticket',
  ],
  ticket_cancel: [
    'batalin antrian saya', 'batalkan antrian', 'tolong batalkan antrean saya', 'saya ga jadi datang', 'tidak jadi datang kak', 'cancel antrian',
    'batal antrian aja', 'batal antri', 'gajadi antri deh', 'batalin yg pajak', 'batalkan yang skck aja', 'cancel the tax one', 'hapus antrian saya', 'batalin tiket', 'batalkan booking saya', 'cancel my ticket please', 'please cancel my booking', 'i will not come, cancel my number',
  ],
  arriving: [
    'otw', 'otw kak', 'saya otw', 'lagi di jalan', 'saya sedang dalam perjalanan', '10 menit lagi sampai', 'bentar lagi sampai', 'saya terlambat', 'maaf saya telat',
    'kayaknya telat dikit', 'kena macet nih', 'sudah dekat', 'on my way', 'almost there', 'running late sorry', 'i will be late', 'stuck in traffic', 'be there in 15 minutes',
  ],
  when: ['besok', 'lusa', 'rabu', 'rabu depan', 'tgl 5', 'tanggal 12', 'jam 9', 'besok jam 10 pagi', 'senin jam 2 siang', 'tomorrow', 'next monday', 'on the 5th at 9am', 'tomorrow at 10', 'kamis pukul 09.30', '5 desember'],
  mpp_info: [
    'jumat buka sampai jam brp', 'jam buka mpp', 'buka jam berapa', 'sabtu buka ga', 'hari minggu buka?', 'jam operasionalnya kapan aja', 'tutup jam berapa kak', 'jam istirahat jam berapa',
    'what time do you open on saturday', 'opening hours please', 'are you open tomorrow', 'when do you close on friday',
    'alamatnya dimana', 'alamat mpp', 'lokasinya di mana ya', 'mpp dimana', 'share lokasi dong', 'where are you located', 'what is the address',
    'ada parkir mobil?', 'parkirnya dimana', 'ada mushola ga', 'toiletnya dimana', 'ada ruang laktasi?', 'ramah disabilitas ga', 'is there parking', 'do you have a prayer room',
    'nomor telepon mpp', 'kontaknya apa', 'ada nomor wa?', 'emailnya apa', 'phone number please', 'how can i contact you',
  ],
  language: ['in english please', 'english please', 'can you speak english?', 'speak english', 'bahasa inggris dong', 'bahasa indonesia aja', 'pakai bahasa indonesia', 'indonesian please', 'switch to english'],
  human: [
    'bisa chat sama cs nya?', 'cs', 'mau bicara dengan petugas', 'ngomong sama orang bukan robot', 'sambungkan ke petugas', 'minta nomor cs', 'hubungi admin',
    'I want to talk to a person', 'can I speak to a human', 'customer service please', 'connect me to an agent', 'talk to someone real please', 'live agent',
  ],
  complaint: [
    'mau komplain', 'mau ngadu', 'lapor pungli', 'mau ngadu petugas loketnya jutek', 'saya mau komplen pelayanannya', 'ada pungli di loket', 'petugasnya kasar',
    'saya dimintai uang sama petugas', 'mau menyampaikan keluhan', 'pengaduan pelayanan', 'ada calo di depan', 'i want to file a complaint', 'the staff was rude', 'someone asked me for a bribe',
  ],
  frustration: [
    'ga nyambung', 'botnya ga membantu', 'ribet banget', 'kok gitu sih', 'percuma tanya disini', 'ga ngerti maksudnya', 'kecewa saya', 'bodoh', 'bot goblok', 'dasar tolol',
    'useless', 'this is not helpful', 'you dont understand', 'stupid bot', 'this sucks',
  ],
  greeting: ['halo', 'hai kak', 'assalamualaikum', 'selamat pagi', 'pagi min', 'permisi', 'hello', 'hi there', 'good morning', 'p'],
  thanks: ['terima kasih', 'oke terima kasih banyak', 'makasih kak', 'mksh ya', 'tq min', 'thanks', 'thank you so much', 'terimakasih infonya', 'sangat membantu, makasih', 'matur nuwun'],
  small_talk: ['apa kabar', 'kamu robot?', 'ini bot ya?', 'kamu siapa', 'nama kamu siapa', 'wkwkwk', 'how are you', 'are you a bot?', 'who are you', 'are you human'],
  menu: ['menu', 'menu utama', 'kembali ke menu', 'main menu', 'start over'],
  back: ['kembali', 'back', 'balik', 'go back'],
  out_of_scope: [
    'cuaca hari ini gimana', 'besok hujan ga', 'mau pinjaman', 'pinjol yang aman apa', 'ceritain lelucon dong', 'siapa presiden yang bagus', 'rekomendasi resep masakan',
    'what is the weather tomorrow', 'can i get a loan', 'tell me a joke', 'who will win the election', 'skor bola semalam',
  ],
  answer: ['ya', 'ya kak', 'iya', 'iy', 'y', 'ok', 'oke', 'sip', 'boleh', 'betul', 'udah', 'sudah kak', 'ada', 'lengkap', 'tidak', 'ga', 'gak', 'nggak', 'enggak', 'belum', 'blm', 'ga jadi', 'jangan', 'yes', 'no', 'nope', 'yep'],
  topic_without_service: ['biayanya brp?', 'berapa lama jadinya', 'bisa diwakilkan?', 'syaratnya apa aja'],
  greeting_only_placeholder: [],
} as never;

describe('intents beyond services', () => {
  for (const [kind, texts] of Object.entries(cases) as Array<[IntentKind, string[]]>) {
    if (texts.length === 0) continue;
    it.each(texts)(`"%s" is ${kind}`, async (text) => {
      const u = await read(text);
      expect(u.intents[0].kind, JSON.stringify(u.intents)).toBe(kind);
    });
  }

  it('tells yes from no', async () => {
    for (const t of ['iya', 'ok', 'sip kak', 'udah', 'yes']) expect((await read(t)).intents[0]).toEqual({ kind: 'answer', yes: true });
    for (const t of ['ga', 'belum', 'ga jadi', 'jangan', 'no']) expect((await read(t)).intents[0]).toEqual({ kind: 'answer', yes: false });
  });

  it('asks for a ticket for the service named beside the take words, not a status check or a search for "nomor"', async () => {
    const u = await read('mau ambil nomor antrian perpanjang sim dong');
    expect(u.intents.map((i) => i.kind)).not.toContain('ticket_status');
    expect(u.intents[0]).toEqual({ kind: 'ticket_take' });
    expect(u.intents[1]).toMatchObject({ kind: 'services', serviceIds: ['polri-sim-perpanjangan'], ambiguous: false });
    expect((await read('ambil nomor antrian')).intents).toEqual([{ kind: 'ticket_take' }]);
    // Taken already is no new ticket: "udah ambil nomor, kapan dipanggil?" asks about the one held.
    for (const t of ['udah ambil nomor antrian, kapan dipanggil?', 'tadi sudah ambil antrian, sekarang nomor berapa']) {
      expect((await read(t)).intents.map((i) => i.kind), t).not.toContain('ticket_take');
      expect((await read(t)).intents[0].kind, t).toBe('ticket_status');
    }
  });

  it('reads a bare "antri" opening the message as a ticket request only when a service follows', async () => {
    for (const t of ['antri skck baru', 'antri paspor baru dong', 'ngantri kk baru']) {
      const u = await read(t);
      expect(u.intents[0], t).toEqual({ kind: 'ticket_take' });
      expect(u.intents[1]?.kind, t).toBe('services');
    }
    // The verb with no service after it is a complaint or a question about one's place, not a request.
    for (const t of ['antri lama banget nih', 'antri sampai mana', 'antri udah sampe nomor berapa']) {
      expect((await read(t)).intents.map((i) => i.kind), t).not.toContain('ticket_take');
    }
  });

  it('reads a few answer words in a row as one answer, mixed ones as neither, and chatter alone as a greeting', async () => {
    for (const t of ['ok sip', 'oke siap kak', 'oh gitu y', 'oh gt ya', 'ya sudah deh', 'i see', 'got it']) expect((await read(t)).intents[0], t).toEqual({ kind: 'answer', yes: true });
    for (const t of ['ga ngerti', 'tidak paham']) expect((await read(t)).intents[0]?.kind, t).toBe('frustration');
    for (const t of ['min mau nanya', 'permisi kak mau tanya dong']) expect((await read(t)).intents[0], t).toEqual({ kind: 'greeting' });
    // A service named among the chatter is still the request.
    expect((await read('min mau nanya syarat skck baru')).intents[0]?.kind).toBe('services');
  });

  it('tells on-the-way from late and keeps the minutes', async () => {
    expect((await read('otw 10 menit lagi sampai')).intents[0]).toEqual({ kind: 'arriving', late: false, inMinutes: 10 });
    expect((await read('saya terlambat, 20 menit lagi ya')).intents[0]).toEqual({ kind: 'arriving', late: true, inMinutes: 20 });
    expect((await read('running late, be there in 15 minutes')).intents[0]).toMatchObject({ kind: 'arriving', late: true, inMinutes: 15 });
  });

  it('switches language both ways', async () => {
    expect((await read('in english please')).intents[0]).toEqual({ kind: 'language', to: 'en' });
    expect((await read('bahasa indonesia aja')).intents[0]).toEqual({ kind: 'language', to: 'id' });
  });

  it('insults are frustration with insult set, plain annoyance without', async () => {
    expect((await read('bot goblok')).intents[0]).toEqual({ kind: 'frustration', insult: true });
    expect((await read('ribet banget sih')).intents[0]).toEqual({ kind: 'frustration', insult: false });
  });

  it('a weekday in an hours question rides along', async () => {
    expect((await read('jumat buka sampai jam brp')).intents[0]).toMatchObject({ kind: 'mpp_info', topic: 'hours', when: { weekday: 'friday' } });
    expect((await read('what time do you open on saturday')).intents[0]).toMatchObject({ kind: 'mpp_info', topic: 'hours', when: { weekday: 'saturday' } });
    expect((await read('parkir motor ada?')).intents[0]).toMatchObject({ kind: 'mpp_info', topic: 'facilities' });
    expect((await read('alamatnya dmn')).intents[0]).toMatchObject({ kind: 'mpp_info', topic: 'address' });
  });

  it('a social word beside a service name leaves the service first', async () => {
    for (const t of ['admin, syarat ktp apa', 'halo kak mau perpanjang paspor', 'makasih, terus kalau skck baru gimana', 'pagi min, bikin akta kelahiran']) {
      expect((await read(t)).intents[0].kind, t).toBe('services');
    }
  });

  it('empty and noise messages are unknown, never a throw', async () => {
    for (const t of ['', '   ', '???', '🙂', 'asdfgh qwerty']) expect((await read(t)).intents[0].kind, t).toBe('unknown');
  });
});
