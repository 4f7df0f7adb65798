"""A deterministic corpus that looks like the office's scanned permit files (issue 12), and its query mix.

Each document is 1.5-3 KB over one to four pages: a letterhead, a legal basis, an applicant block (name,
NIK, address with kelurahan and kecamatan of Kota Pariaman), the boiler-plate of one of 16 permit kinds,
KBLI codes with their descriptions, recurring legal and technical phrases, and free text whose words
follow a Zipf law over a vocabulary of ~40,000 words: inflected forms a stemmer must fold (meN-, peN-,
di-, ber-, ter-, -an, -kan, -i, pe-an, per-an, ke-an on ~200 roots) and a long tail of rarer words.
A small rate of OCR-like character noise gives the term dictionary its tail of misspellings.

Same seed, same documents and queries, on any machine: document(n) depends only on n.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from functools import lru_cache

SEED = 2026
VOCABULARY = 40_000
ZIPF_S = 1.05
OCR_WORD_RATE = 0.02  # share of words with one scanner error

ROOTS = """izin periksa mohon bangun layan tanda tetap terbit urus daftar catat lapor ukur tinjau nilai awas kelola
guna milik sewa jual beli bayar pungut tata atur rencana susun buat aju setuju tolak terima kirim serah tunjuk angkat
tugas kerja usaha modal tanam olah hasil edar simpan angkut pasang ganti ubah tambah kurang hapus cabut batal tunda
lanjut selesai mulai tutup buka jaga rawat bersih sehat obat didik ajar latih uji coba teliti kaji bahas rapat putus
tentu ikut lengkap salin cetak tulis baca hitung jumlah bagi kumpul pisah gabung hubung sambung dukung bantu tolong
lindung aman jamin tanggung wakil pimpin arah tuju capai tingkat kembang luas tinggi rendah dalam dekat jauh pakai
isi ambil beri minta tanya jawab jelas terang nyata ingat sebut panggil undang hadir datang pergi pulang tinggal
diam duduk bangkit jalan lari lintas lewat masuk keluar naik turun tarik dorong angkat bawa antar jemput hantar
sampai lepas ikat tahan tekan tolak hitung timbang ukur takar sedia siap hidang masak makan minum jahit tenun ukir
lukis gambar foto rekam siar tayang pamer jajak survei sensus data kode nomor alamat rumah gedung toko pasar kantor
sekolah klinik apotek bengkel gudang pabrik kebun sawah ladang laut sungai pantai hutan tanah air listrik jalur
saluran limbah sampah bau bising getar api asap debu racun bahaya cegah tangkal atas bawah samping depan belakang
dinding atap lantai pintu jendela tiang pondasi rangka struktur ruang kamar dapur teras pagar parkir taman halaman
sempadan batas patok ukuran luas lebar panjang tebal berat kuat lemah rusak retak bocor runtuh roboh perbaik
pelihara ganti tukar pindah geser""".split()
PREFIXES = ("meN", "peN", "di", "ber", "ter", "")
SUFFIXES = ("", "an", "kan", "i")
CIRCUMFIXES = (("pe", "an"), ("per", "an"), ("ke", "an"), ("peN", "an"))
SYLLABLES = ("ba be bi bo bu da de di do du ga gi gu ka ke ki ko ku la le li lo lu ma me mi mo mu na ne ni no nu "
             "pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu wa wi ya yu ja ju ca ci ng ny").split()
STOP_WORDS = ("yang dan di ke dari untuk dengan dalam pada ini itu atau oleh sebagai tersebut adalah akan telah "
              "dapat tidak juga serta bahwa secara sesuai atas bagi maka agar").split()

PHRASES = [
    "rencana tata ruang wilayah", "garis sempadan bangunan", "sertifikat hak milik", "pelayanan terpadu satu pintu",
    "berita acara pemeriksaan", "kode kbli", "persetujuan bangunan gedung", "sertifikat laik fungsi",
    "koefisien dasar bangunan", "nomor induk berusaha", "kesesuaian kegiatan pemanfaatan ruang",
    "upaya pengelolaan lingkungan hidup", "analisis mengenai dampak lingkungan", "kartu tanda penduduk",
    "surat izin praktik", "retribusi daerah", "perizinan berusaha berbasis risiko", "tanda daftar usaha pariwisata",
    "peraturan daerah kota pariaman", "izin usaha mikro kecil",
]
LEGAL_BASES = [
    "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko",
    "Peraturan Pemerintah Nomor 16 Tahun 2021 tentang Peraturan Pelaksanaan Undang-Undang Nomor 28 Tahun 2002 "
    "tentang Bangunan Gedung",
    "Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun "
    "2022 tentang Cipta Kerja",
    "Peraturan Presiden Nomor 97 Tahun 2014 tentang Penyelenggaraan Pelayanan Terpadu Satu Pintu",
    "Peraturan Daerah Kota Pariaman Nomor 3 Tahun 2022 tentang Pajak Daerah dan Retribusi Daerah",
    "Peraturan Menteri Dalam Negeri Nomor 138 Tahun 2017 tentang Penyelenggaraan Pelayanan Terpadu Satu Pintu Daerah",
    "Peraturan Wali Kota Pariaman Nomor 21 Tahun 2021 tentang Pendelegasian Kewenangan Perizinan",
]
PERMITS = {
    "PBG": "Persetujuan Bangunan Gedung diberikan untuk membangun baru, mengubah, memperluas, mengurangi atau "
           "merawat bangunan gedung sesuai standar teknis. Garis sempadan bangunan dan koefisien dasar bangunan "
           "mengikuti rencana tata ruang wilayah.",
    "SLF": "Sertifikat Laik Fungsi diterbitkan setelah pemeriksaan kelaikan fungsi bangunan gedung oleh tim "
           "profesi ahli. Pemilik wajib melakukan pemeliharaan dan perawatan secara berkala.",
    "SS": "Sertifikat Standar diterbitkan melalui sistem perizinan berusaha berbasis risiko dan berlaku setelah "
          "pelaku usaha memenuhi standar usaha yang diverifikasi.",
    "IUMK": "Izin Usaha Mikro Kecil diberikan kepada pelaku usaha mikro dan kecil sebagai bukti legalitas usaha "
            "dan dasar pemberdayaan.",
    "REKLAME": "Izin penyelenggaraan reklame berlaku untuk titik reklame yang disebutkan dengan ukuran dan materi "
               "sesuai gambar. Reklame wajib dibongkar setelah masa berlaku berakhir.",
    "REKTEK": "Rekomendasi teknis diberikan oleh dinas teknis terkait berdasarkan hasil peninjauan lapangan dan "
              "kajian dokumen persyaratan.",
    "BAP": "Berita acara pemeriksaan ini dibuat oleh tim teknis setelah peninjauan lokasi bersama pemohon dan "
           "ditandatangani oleh para pihak.",
    "KKPR": "Kesesuaian kegiatan pemanfaatan ruang diberikan berdasarkan rencana detail tata ruang dan rencana tata "
            "ruang wilayah Kota Pariaman.",
    "SIP": "Surat izin praktik diberikan kepada tenaga kesehatan yang memiliki surat tanda registrasi yang masih "
           "berlaku dan tempat praktik yang memenuhi syarat.",
    "APOTEK": "Izin apotek diberikan kepada apoteker penanggung jawab dengan sarana dan prasarana sesuai standar "
              "pelayanan kefarmasian.",
    "KLINIK": "Izin operasional klinik diberikan setelah pemenuhan standar bangunan, peralatan, ketenagaan dan "
              "pengelolaan limbah medis.",
    "TDUP": "Tanda daftar usaha pariwisata diterbitkan untuk usaha pariwisata yang telah didaftarkan dan memenuhi "
            "persyaratan.",
    "UKLUPL": "Upaya pengelolaan lingkungan hidup dan upaya pemantauan lingkungan hidup wajib dilaksanakan selama "
              "kegiatan usaha berlangsung.",
    "SIUP": "Surat izin usaha perdagangan berlaku selama pelaku usaha menjalankan kegiatan perdagangan sesuai "
            "ketentuan.",
    "PERIKANAN": "Izin usaha perikanan diberikan untuk kegiatan pembudidayaan ikan di wilayah Kota Pariaman.",
    "SEKOLAH": "Izin operasional satuan pendidikan diberikan setelah verifikasi sarana, prasarana dan tenaga "
               "pendidik.",
}
KBLI = {
    "47111": "Perdagangan Eceran Berbagai Macam Barang yang Utamanya Makanan, Minuman atau Tembakau di Minimarket",
    "56101": "Restoran", "56102": "Warung Makan", "86105": "Aktivitas Klinik Swasta",
    "47772": "Perdagangan Eceran Barang dan Obat Farmasi untuk Manusia di Apotik", "55194": "Pondok Wisata",
    "10792": "Industri Kue Basah", "41011": "Konstruksi Gedung Hunian", "73100": "Periklanan",
    "96021": "Aktivitas Salon Kecantikan", "03221": "Pembesaran Ikan Air Tawar di Kolam",
    "85111": "Pendidikan Taman Kanak-Kanak Swasta", "45201": "Reparasi Mobil", "10710": "Industri Produk Roti dan Kue",
    "46100": "Perdagangan Besar atas Dasar Balas Jasa", "68111": "Real Estat yang Dimiliki Sendiri atau Disewa",
}
GIVEN = """Andi Budi Citra Dewi Eka Fitri Gusti Hendra Indah Joko Kurnia Lestari Maya Nanda Oktavia Putra Rahmat Sari
Taufik Utami Wahyu Yuliani Zulkifli Rina Yusuf Fauzan Rizki Aulia Hafiz Syafri Nurul Ilham Afrizal Desi Elvira
Ferdi Gita Hasan Irwan Jufri Khairul Lusi Mardi Novi Oki Pramono Riko Sisca Tomi Vivi Wulan Yanti Zainal Arif
Bayu Cahya Dodi Erna Fajar""".split()
SURNAMES = """Saputra Hidayat Pratama Wijaya Siregar Nasution Harahap Lubis Putri Sari Rahman Syahputra Tanjung Caniago
Koto Piliang Chaniago Sikumbang Jambak Tanjuang Melayu Panai Guci Sipisang Bendang Pisang Kutianyir Supanjang Mandailiang
Pitopang Sumagek Balai Mais Rangkayo Sutan Marajo Bagindo Malin Datuak Kayo Basa Sati Mudo Lelo Bungsu Kari
Nan Putiah Hitam Gadang Ketek Rajo Pangulu Panduko""".split()
KECAMATAN = {
    "Pariaman Tengah": ["Kampung Pondok", "Jawi-Jawi", "Kampung Jawa I", "Pasir", "Karan Aur", "Lohong",
                        "Alai Gelombang", "Taratak", "Kampung Perak", "Jalan Baru"],
    "Pariaman Utara": ["Naras I", "Sungai Rotan", "Manggung", "Apar", "Kurai Taji", "Marabau", "Sikapak Barat"],
    "Pariaman Selatan": ["Jati Hilir", "Jati Mudik", "Kampung Baru", "Pauh Barat", "Pauh Timur", "Cubadak Air"],
    "Pariaman Timur": ["Air Santok", "Kampung Gadang", "Sungai Sirah", "Talago Sariak", "Cimparuh", "Padang Birik-Birik"],
}
# Scanner confusions: one of them, once, in a noisy word.
OCR_CONFUSIONS = [("o", "0"), ("l", "1"), ("i", "l"), ("e", "c"), ("rn", "m"), ("m", "rn"), ("a", "o"), ("s", "5"),
                  ("b", "h"), ("n", "u"), ("u", "n"), ("t", "f"), ("g", "q"), ("h", "b")]


def _nasal(prefix: str, root: str) -> str:
    """meN-/peN- with the nasal assimilation and dropped first consonant Indonesian spelling uses."""
    head = prefix[:-1]  # "me" / "pe"
    first = root[0]
    if first in "lrmnwy":
        return head + root
    if first in "bf":
        return head + "m" + root
    if first == "p":
        return head + "m" + root[1:]
    if first in "dcjz":
        return head + "n" + root
    if first == "t":
        return head + "n" + root[1:]
    if first == "s":
        return head + "ny" + root[1:]
    if first == "k":
        return head + "ng" + root[1:]
    return head + "ng" + root  # vowels, g, h


def inflected(root: str) -> list[str]:
    forms = set()
    for prefix, suffix in itertools.product(PREFIXES, SUFFIXES):
        stem = _nasal(prefix, root) if prefix.endswith("N") else prefix + root
        forms.add(stem + suffix)
    for prefix, suffix in CIRCUMFIXES:
        forms.add((_nasal(prefix, root) if prefix.endswith("N") else prefix + root) + suffix)
    return sorted(forms)


@lru_cache(maxsize=1)
def vocabulary() -> tuple[list[str], list[float]]:
    """Words by rank and the cumulative Zipf weights to draw them: stop words first, then the inflected forms
    (with a few made-up words), then the made-up words of the long tail, in a seeded order."""
    rng = random.Random(SEED)
    forms = sorted({form for root in ROOTS for form in inflected(root)} - set(STOP_WORDS))
    made_up: set[str] = set()
    while len(made_up) < VOCABULARY - len(STOP_WORDS) - len(forms):
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in forms and word not in STOP_WORDS:
            made_up.add(word)
    tail = sorted(made_up)
    rng.shuffle(tail)
    # The inflected forms fill the frequent and middle bands (with some made-up words); the rest is the tail.
    head = forms + tail[:3_000]
    rng.shuffle(head)
    ranked = list(STOP_WORDS) + head + tail[3_000:]
    weights = list(itertools.accumulate(1 / (rank ** ZIPF_S) for rank in range(1, len(ranked) + 1)))
    return ranked, weights


def zipf_words(rng: random.Random, count: int) -> list[str]:
    ranked, weights = vocabulary()
    total = weights[-1]
    return [ranked[bisect.bisect(weights, rng.random() * total)] for _ in range(count)]


def nik(rng: random.Random) -> str:
    day = rng.randint(1, 28) + rng.choice((0, 40))
    return (f"1377{rng.randint(1, 4):02d}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}"
            f"{rng.randint(1, 9999):04d}")


def noisy(rng: random.Random, text: str) -> str:
    """Words with one scanner confusion at OCR_WORD_RATE (numbers left alone: the NIK stays readable)."""
    words = text.split(" ")
    for position, word in enumerate(words):
        if word.isalpha() and rng.random() < OCR_WORD_RATE:
            wrong, right = rng.choice([pair for pair in OCR_CONFUSIONS if pair[0] in word] or [("", "")])
            if wrong:
                words[position] = word.replace(wrong, right, 1)
    return " ".join(words)


def _sentences(rng: random.Random, count: int) -> list[str]:
    sentences = []
    for _ in range(count):
        words = zipf_words(rng, rng.randint(8, 18))
        if rng.random() < 0.35:
            words.insert(rng.randrange(len(words)), rng.choice(PHRASES))
        sentences.append(" ".join(words).capitalize() + ".")
    return sentences


def document(number: int, seed: int = SEED) -> dict:
    rng = random.Random(seed * 1_000_003 + number)
    person_nik = nik(rng)
    name = f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}"
    kecamatan = rng.choice(sorted(KECAMATAN))
    kelurahan = rng.choice(KECAMATAN[kecamatan])
    permit = rng.choice(sorted(PERMITS))
    kbli = rng.sample(sorted(KBLI), rng.randint(1, 3))
    permit_number = f"503/{rng.randint(1, 999)}/DPMPTSP/{rng.randint(2021, 2026)}"
    nib = f"91200{rng.randint(10**7, 10**8 - 1)}"
    parts = [
        "PEMERINTAH KOTA PARIAMAN DINAS PENANAMAN MODAL PELAYANAN TERPADU SATU PINTU DAN TENAGA KERJA "
        "Jl. Imam Bonjol No. 44 Pariaman",
        "Menimbang dan mengingat " + "; ".join(rng.sample(LEGAL_BASES, rng.randint(1, 3))) + ".",
        f"Nama pemohon {name} NIK {person_nik} alamat Jl. {rng.choice(SURNAMES)} No. {rng.randint(1, 200)} "
        f"Kelurahan {kelurahan} Kecamatan {kecamatan} Kota Pariaman. NIB {nib}.",
        PERMITS[permit],
        "Kode KBLI " + "; ".join(f"{code} {KBLI[code]}" for code in kbli) + ".",
        f"Nomor {permit_number}.",
    ]
    target = rng.randint(1500, 3000)
    body = " ".join(parts)
    while len(body) < target:
        body += " " + " ".join(_sentences(rng, 3))
    body = noisy(rng, body[:target])
    pages = _pages(rng, body)
    return {
        "doc_id": str(number), "application_id": number // 3 + 1,
        "registration_number": f"reg-{2021 + number % 6}-{number // 3:06d}",
        "applicant_name": name, "nik": person_nik, "nib": nib, "permit_number": permit_number.lower(),
        "service": permit, "sector": str(rng.randint(1, 10)), "document_type": rng.choice(["BAP", "IZIN", "LAINNYA"]),
        "state": "indexed", "uploaded_at": dt.datetime(2021, 1, 1) + dt.timedelta(minutes=number * 7),
        "filename": f"scan-{number}.pdf", "content": "\f".join(pages),
    }


def _pages(rng: random.Random, body: str) -> list[str]:
    count = rng.choice((1, 1, 2, 2, 3, 4))
    cuts = sorted(rng.sample(range(1, len(body)), count - 1))
    return [body[a:b] for a, b in zip([0, *cuts], [*cuts, len(body)])]


def _band(rng: random.Random, low: int, high: int) -> str:
    ranked, _weights = vocabulary()
    while True:
        word = ranked[rng.randrange(low, high)]
        if word not in STOP_WORDS and len(word) > 3:
            return word


def query_mix(size: int, count: int = 200, seed: int = 11) -> list[tuple[str, str, str]]:
    """(kind, whoosh query, fts5 query): terms of the frequent, middle and rare bands; AND of a frequent and a
    rare word and of a given name and a surname; recurring phrases; NIK lookups; prefixes (1377*, word stems)."""
    rng = random.Random(seed)
    queries = []
    for number in range(count):
        kind = ("term", "and", "phrase", "nik", "prefix")[number % 5]
        if kind == "term":
            word = _band(rng, *rng.choice(((30, 300), (1_000, 5_000), (15_000, VOCABULARY))))
            queries.append((kind, word, word))
        elif kind == "and":
            if rng.random() < 0.5:
                a, b = _band(rng, 30, 300), _band(rng, 15_000, VOCABULARY)
            else:
                a, b = rng.choice(GIVEN).lower(), rng.choice(SURNAMES).lower()
            queries.append((kind, f"{a} AND {b}", f"{a} AND {b}"))
        elif kind == "phrase":
            phrase = f'"{rng.choice(PHRASES)}"'
            queries.append((kind, phrase, phrase))
        elif kind == "nik":
            value = document(rng.randrange(size))["nik"]
            queries.append((kind, f"nik:{value}", f"nik:{value}"))
        else:
            prefix = rng.choice(["1377*", "137701*", "izin*", "periks*", "mohon*", "bangun*", "lay*", "pem*",
                                 rng.choice(ROOTS)[:4] + "*"])
            queries.append((kind, prefix, prefix))
    return queries
