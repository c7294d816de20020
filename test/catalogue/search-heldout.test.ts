import { describe, expect, it } from 'vitest';
import { ServiceSearch } from '../../src/catalogue/search.js';
import { demoCatalogue } from '../helpers.js';

let built: Promise<ServiceSearch> | undefined;
const search = () => (built ??= demoCatalogue().then((c) => new ServiceSearch(c)));

/**
 * Held-out questions: written from how citizens ask, not from the services' aliases or examples, and
 * not tuned against. They measure whether the search generalises; the bar is a share, not every one.
 * query -> the service that should come first (an id prefix when more than one is right).
 */
const inScope: Array<[string, string]> = [
  // new agencies: Bapenda (PBB, BPHTB)
  ['pbb rumah mau dibalik nama ke nama saya, kan beli dari orang', 'bapenda-pbb-mutasi'],
  ['sppt pbb nya masih atas nama almarhum bapak', 'bapenda-pbb-mutasi'],
  ['tanah baru dibeli belum ada sppt pbb nya', 'bapenda-pbb-objek-baru'],
  ['luas tanah di sppt salah, kegedean', 'bapenda-pbb-pembetulan'],
  ['pbb tahun ini mahal bgt, bisa minta keringanan?', 'bapenda-pbb-pengurangan'],
  ['bphtb beli rumah second berapa persen', 'bapenda-bphtb'],
  ['bayar bphtb buat tanah warisan', 'bapenda-bphtb'],
  // PDAM
  ['pasang air pdam di rumah baru', 'pdam-pasang-baru'],
  ['air pdam diputus karena telat bayar, gimana nyambung lagi', 'pdam-buka-kembali'],
  ['ganti nama pelanggan pdam soalnya rumah udah dijual', 'pdam-balik-nama'],
  // Disdik, Dinkes
  ['legalisir fotokopi ijazah sma, sekolahnya udah tutup', 'disdik-legalisir-ijazah'],
  ['ijazah smp saya kebakaran, bisa diganti?', 'disdik-pengganti-ijazah'],
  ['perpanjang surat izin praktik bidan', 'dinkes-izin-praktik'],
  ['sip dokter gigi syaratnya', 'dinkes-izin-praktik'],
  // banks, Pos
  ['bikin rekening tabungan bri buat anak', 'bri-buka-rekening'],
  ['open a savings account', 'bri-buka-rekening'],
  ['pinjaman kur buat modal warung', 'bri-kur'],
  ['cara ngajuin kredit usaha rakyat', 'bri-kur'],
  ['kpr subsidi syarat gaji maksimal berapa', 'btn-kpr-subsidi'],
  ['mau ambil rumah subsidi btn', 'btn-kpr-subsidi'],
  ['kirim paket ke surabaya lewat kantor pos', 'pos-kirim-paket'],
  ['kirim duit ke ortu di kampung lewat wesel', 'pos-wesel'],
  // Kemenkum
  ['daftarin merek dagang kopi saya', 'kemenkum-merek'],
  ['register a trademark for my shop', 'kemenkum-merek'],
  ['bikin pt perorangan buat usaha kecil', 'kemenkum-pt-perorangan'],
  ['leasing motor sudah lunas tapi fidusianya belum dicoret', 'kemenkum-fidusia'],
  // Pengadilan Agama, Kemenag
  ['gugat cerai suami di pengadilan agama', 'pengadilan-agama-perceraian'],
  ['sidang isbat buat nikah siri', 'pengadilan-agama-itsbat-nikah'],
  ['buku nikah saya hilang waktu pindahan', 'kemenag-duplikat-buku-nikah'],
  ['legalisir buku nikah untuk urus visa', 'kemenag-legalisir-buku-nikah'],
  // BPJS, Samsat, Kejaksaan, Polri, Disnaker, DPMPTSP, Dukcapil
  ['resign dari kantor, bpjs kesehatan mau lanjut bayar sendiri', 'bpjs-kesehatan-pindah-segmen'],
  ['daftarin bayi yang baru lahir ke bpjs', 'bpjs-kesehatan-daftar-bayi'],
  ['cabut berkas motor mau dibawa ke jawa', 'samsat-mutasi-keluar'],
  ['stnk motor ilang dicopet', 'samsat-stnk-hilang'],
  ['ambil barang bukti hp setelah putusan pengadilan', 'kejaksaan-barang-bukti'],
  ['bikin surat kehilangan dompet di polisi', 'polri-surat-kehilangan'],
  ['pelatihan kerja gratis di blk', 'disnaker-pelatihan-kerja'],
  ['job training for unemployed people', 'disnaker-pelatihan-kerja'],
  ['di phk tapi pesangon ga dibayar mau lapor kemana', 'disnaker-mediasi-phi'],
  ['izin pasang baliho di pinggir jalan', 'dpmptsp-izin-reklame'],
  ['ganti nama anak lewat penetapan pengadilan', 'dukcapil-perubahan-nama'],
  // the first 46 services
  ['perpanjang paspor yg udah mati', 'imigrasi-paspor-penggantian'],
  ['bikin paspor buat umroh pertama kali', 'imigrasi-paspor-baru'],
  ['paspor 48 halaman baru', 'imigrasi-paspor-baru'],
  ['ktp saya patah, mau ganti', 'dukcapil-ktp-el-hilang-rusak'],
  ['akte kelahiran anak telat bikin', 'dukcapil-akta-kelahiran'],
  ['kartu keluarga hilang', 'dukcapil-kk-'],
  ['skck buat lamaran kerja', 'polri-skck-baru'],
  ['npwp baru untuk lamar kerja', 'djp-npwp'],
  ['bayar pajak motor tahunan', 'samsat-pajak-tahunan'],
  ['ganti plat nomor 5 tahunan', 'samsat-pajak-lima-tahunan'],
  ['tambah daya listrik dari 900', 'pln-tambah-daya'],
  ['pasang listrik baru buat rumah', 'pln-pasang-baru'],
  ['klaim jht setelah resign', 'bpjs-tk-klaim-jht'],
  ['sertifikat halal untuk umkm', 'bpjph-sertifikat-halal'],
  ['izin edar bpom makanan ringan', 'bpom-registrasi-pangan'],
  ['surat bebas narkoba buat cpns', 'bnn-skhpn'],
  ['daftar nikah di kua', 'kemenag-pendaftaran-nikah'],
  ['pindah faskes ke puskesmas deket rumah', 'bpjs-kesehatan-ubah-faskes'],
  ['cek keaslian sertifikat tanah sebelum beli', 'bpn-pengecekan-sertifikat'],
  ['balik nama sertifikat tanah warisan', 'bpn-peralihan-hak'],
  ['lapor spt tahunan karyawan', 'djp-spt-tahunan'],
  // typos
  ['kartu keluarag baru', 'dukcapil-kk-baru'],
  ['perpanjnag sim c', 'polri-sim-perpanjangan'],
  ['pendaftran haji reguler', 'kemenag-pendaftaran-haji'],
  ['lupa efinn', 'djp-efin'],
  // English
  ['renew my passport', 'imigrasi-paspor-penggantian'],
  ['death certificate for my father', 'dukcapil-akta-kematian'],
  ['how to get a building permit', 'dpmptsp-pbg'],
  ['pay a traffic fine', 'kejaksaan-tilang'],
];

/** Questions no MPP service answers: they must find nothing. */
const outOfScope = [
  'cuaca jakarta besok hujan ga',
  'pinjol cepat cair tanpa ribet',
  'ceritain lelucon dong',
  'resep nasi goreng kampung',
  'skor persija semalam',
  'jadwal piala dunia',
  'harga bitcoin hari ini',
  'rekomendasi film horor',
  'lagu dangdut terbaru',
  'cara diet cepat',
  'tiket pesawat ke bali murah',
  "what's the weather like today",
  'tell me a joke',
  'who won the football match',
];

describe('search on held-out questions', () => {
  it('finds the right service first for at least 90% of them', async () => {
    const s = await search();
    const misses = inScope
      .map(([query, expected]) => ({ query, expected, got: s.search(query).results.map((r) => r.id) }))
      .filter((c) => !(c.got[0] ?? '').startsWith(c.expected));
    const share = 1 - misses.length / inScope.length;
    expect(share, JSON.stringify(misses, null, 1)).toBeGreaterThanOrEqual(0.9);
  });

  it.each(outOfScope)('finds nothing for "%s"', async (query) => {
    expect((await search()).search(query).results).toEqual([]);
  });

  // Known gap: "bunga rendah" is KUR's own wording, and nothing in the words says an online lender is
  // meant. Rejecting it takes a not-here entry (content/not-here.yaml: pinjol -> OJK), not the search.
  it.fails('finds nothing for "pinjaman online bunga rendah" (known gap)', async () => {
    expect((await search()).search('pinjaman online bunga rendah').results).toEqual([]);
  });
});
