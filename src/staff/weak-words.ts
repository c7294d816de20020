/**
 * Words an Indonesian MPP's staff are likely to build a password from, which the English and
 * common-password lists of zxcvbn do not know: everyday words for "secret" and "password", pious
 * and affectionate words, the country, and the names of this building and the agencies in it. A
 * password made of these (with digits, capitals or l33t) is what a guesser tries first.
 */
export const indonesianWeakWords = [
  // "secret", "password", "enter", "open", "login"
  'rahasia', 'katasandi', 'sandi', 'kata', 'kunci', 'masuk', 'buka', 'admin', 'petugas', 'pegawai', 'operator', 'loket',
  // country, cities, religion, affection, everyday greetings
  'indonesia', 'jakarta', 'bandung', 'surabaya', 'merdeka', 'garuda', 'pancasila', 'nusantara',
  'bismillah', 'alhamdulillah', 'insyaallah', 'allah', 'tuhan', 'sayang', 'cinta', 'rindu', 'kangen', 'selamat', 'pagi', 'siang', 'malam', 'terima', 'kasih',
  'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan', 'sepuluh',
  // this building and the agencies in it
  'mpp', 'mal', 'pelayanan', 'publik', 'malpelayananpublik', 'layanan', 'antrean', 'antrian', 'kota', 'kabupaten', 'pemkot', 'pemkab', 'contoh',
  'dukcapil', 'disdukcapil', 'polri', 'polres', 'samsat', 'imigrasi', 'kemenkumham', 'bpjs', 'kesehatan', 'ketenagakerjaan', 'djp', 'pajak', 'kemenag', 'bpn', 'atrbpn', 'pln', 'pdam', 'bapenda', 'dpmptsp', 'kejaksaan', 'pengadilan', 'taspen', 'pegadaian',
];
