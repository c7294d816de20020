/**
 * Short chat messages labelled by language, written for this test (not taken from the eval sample):
 * WhatsApp-length, slang, typos, service names that are the same in both languages.
 */
export const languageSet: Array<[string, 'id' | 'en']> = [
  // Indonesian
  ['syarat ktp', 'id'], ['ktp hilang gmn', 'id'], ['biayanya brp', 'id'], ['bayar ga', 'id'], ['gratis kan', 'id'], ['brp lama jadinya', 'id'],
  ['bisa online?', 'id'], ['loketnya dimana', 'id'], ['caranya gmn', 'id'], ['syaratnya apa aja tadi', 'id'], ['dendanya', 'id'], ['buat anak', 'id'],
  ['kalau hilang', 'id'], ['bisa diwakilkan?', 'id'], ['boleh suami saya yang datang?', 'id'], ['siapa yang boleh daftar', 'id'], ['antrian saya nomor brp', 'id'],
  ['masih lama ga', 'id'], ['udh sampe nomor brp', 'id'], ['batalin antrian saya', 'id'], ['otw', 'id'], ['saya terlambat', 'id'], ['10 menit lagi sampai', 'id'],
  ['besok', 'id'], ['lusa', 'id'], ['rabu', 'id'], ['tgl 5', 'id'], ['jam 9', 'id'], ['apa kabar', 'id'], ['kamu robot?', 'id'], ['makasih kak', 'id'],
  ['terima kasih banyak', 'id'], ['mau komplain', 'id'], ['mau ngadu', 'id'], ['lapor pungli', 'id'], ['jumat buka sampai jam brp', 'id'], ['alamatnya dimana', 'id'],
  ['ada parkir?', 'id'], ['bahasa indonesia aja', 'id'], ['menu', 'id'], ['perpanjang sim', 'id'], ['bikin sim baru', 'id'], ['surat domisili', 'id'],
  ['skck baru', 'id'], ['akta kelahiran anak', 'id'], ['kk baru', 'id'], ['cetak ulang kk', 'id'], ['pajak motor', 'id'], ['npwp hilang', 'id'],
  ['halo kak', 'id'], ['pagi min', 'id'], ['assalamualaikum', 'id'], ['iya', 'id'], ['ga jadi', 'id'], ['belum', 'id'], ['udah', 'id'], ['oke sip', 'id'],
  ['ini bot ya', 'id'], ['ga nyambung', 'id'], ['bodoh banget', 'id'], ['mau bicara dengan petugas', 'id'], ['ngomong sama orang bukan robot', 'id'],
  ['paspor buat umroh', 'id'], ['nomor antrian saya brp ya', 'id'], ['sabtu buka ga', 'id'], ['tutup jam berapa', 'id'], ['ada mushola?', 'id'],
  ['balik nama motor', 'id'], ['klaim jht gimana', 'id'], ['daftar bpjs', 'id'], ['naik daya listrik', 'id'], ['pindah faskes', 'id'], ['ktp saya rusak', 'id'],
  ['mau tanya', 'id'], ['permisi', 'id'], ['tolong dibantu', 'id'], ['gimana caranya', 'id'], ['kapan dipanggil', 'id'], ['sekalian bayar pajak juga', 'id'],
  ['skck sama surat bebas narkoba', 'id'], ['cuaca hari ini', 'id'], ['mau pinjaman', 'id'], ['kok lama banget', 'id'], ['selamat siang', 'id'],
  // English
  ['passport', 'en'], ['how much is it', 'en'], ['is it free?', 'en'], ['how long does it take', 'en'], ['can i do it online?', 'en'], ['where is the counter', 'en'],
  ['what do i need to bring', 'en'], ['is there a fine', 'en'], ['for my child', 'en'], ['what if it is lost', 'en'], ['can someone else apply for me', 'en'],
  ['who can apply', 'en'], ['my ticket', 'en'], ['what is my number', 'en'], ['how long until my turn', 'en'], ['cancel my ticket', 'en'], ['on my way', 'en'],
  ['running late', 'en'], ['be there in 10 minutes', 'en'], ['tomorrow', 'en'], ['next monday', 'en'], ['on the 5th at 9am', 'en'], ['how are you', 'en'],
  ['are you a bot?', 'en'], ['thanks', 'en'], ['thank you so much', 'en'], ['i want to complain', 'en'], ['the staff was rude', 'en'],
  ['what time do you open on saturday', 'en'], ['where are you located', 'en'], ['is there parking', 'en'], ['in english please', 'en'], ['main menu', 'en'],
  ['renew my driving licence', 'en'], ['new driving license', 'en'], ['police clearance certificate', 'en'], ['birth certificate for my baby', 'en'],
  ['family card', 'en'], ['vehicle tax', 'en'], ['lost my tax number', 'en'], ['hello', 'en'], ['hi there', 'en'], ['good morning', 'en'], ['yes', 'en'],
  ['no', 'en'], ['not yet', 'en'], ['okay thanks', 'en'], ['this is useless', 'en'], ['stupid bot', 'en'], ['I want to talk to a person', 'en'],
  ['can i speak to a human', 'en'], ['passport for umrah', 'en'], ['what is my queue number', 'en'], ['are you open on saturday', 'en'],
  ['what time do you close', 'en'], ['do you have a prayer room', 'en'], ['change of vehicle ownership', 'en'], ['how do i claim my pension', 'en'],
  ['register for health insurance', 'en'], ['upgrade my electricity', 'en'], ['change my health facility', 'en'], ['my id card is damaged', 'en'],
  ['i have a question', 'en'], ['excuse me', 'en'], ['please help', 'en'], ['how do i do it', 'en'], ['when will i be called', 'en'],
  ['and pay the tax too', 'en'], ['police certificate and drug test', 'en'], ['weather today', 'en'], ['can i get a loan', 'en'], ['why is it so slow', 'en'],
  ['good afternoon', 'en'], ['requirements for passport', 'en'], ['how to get an ID card', 'en'], ['fee?', 'en'], ['where do i go', 'en'], ['who handles this', 'en'],
  ['what are the steps', 'en'], ['what documents', 'en'], ['can my wife come instead', 'en'], ['do i need to come in person', 'en'], ['opening hours', 'en'],
];
