"""A deterministic corpus of Indonesian permit documents (same seed, same documents, on any machine)."""

import datetime as dt
import random

SERVICES = ["SS_RESTORAN", "SS_MINIMARKET", "IZIN_KLINIK", "PBG", "IZIN_APOTEK", "TDUP", "SIUP_MIKRO"]
TYPES = ["KTP", "NPWP", "NIB", "IZIN", "BAP", "SURAT_PERMOHONAN", "SERTIFIKAT_STANDAR"]
NAMES = ["Andi", "Budi", "Citra", "Dewi", "Eka", "Fitri", "Gusti", "Hendra", "Indah", "Joko", "Kurnia", "Lestari",
         "Maya", "Nanda", "Oktavia", "Putra", "Rahmat", "Sari", "Taufik", "Utami", "Wahyu", "Yuliani", "Zulkifli"]
PLACES = ["Pasir", "Kampung Jawa", "Jati Hilir", "Karan Aur", "Naras", "Sungai Sapih", "Kurai Taji", "Cubadak Air"]
SENTENCES = [
    "Dengan ini kami mengajukan permohonan perizinan berusaha untuk kegiatan {kbli} di Kelurahan {place}.",
    "Pemohon telah memenuhi persyaratan pelayanan perizinan sesuai standar yang berlaku.",
    "Bangunan gedung diizinkan untuk dimanfaatkan sebagai tempat usaha setelah pemeriksaan lapangan.",
    "Tim teknis dinas melakukan peninjauan lokasi dan menyusun berita acara pemeriksaan.",
    "Rekomendasi teknis diberikan dengan catatan perbaikan gambar denah dan sistem sanitasi.",
    "Surat keterangan ini berlaku selama pelaku usaha menjalankan kegiatan sesuai ketentuan.",
    "Pelaku usaha wajib menyampaikan laporan kegiatan penanaman modal setiap triwulan.",
    "Nomor Induk Kependudukan pemohon {nik} sesuai dengan kartu tanda penduduk yang dilampirkan.",
    "Sertifikat standar diterbitkan melalui sistem OSS berbasis risiko dengan NIB {nib}.",
    "Keputusan Kepala Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Pariaman nomor {permit}.",
    "Izin ini dapat dicabut apabila pemegang izin melanggar ketentuan peraturan perundang-undangan.",
    "Retribusi pelayanan sebesar Rp 0 sesuai peraturan daerah yang berlaku di Kota Pariaman.",
]


def nik(rng: random.Random) -> str:
    day = rng.randint(1, 28) + rng.choice((0, 40))
    return f"1377{rng.randint(1, 4):02d}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{rng.randint(1, 9999):04d}"


def document(number: int, seed: int = 2026) -> dict:
    rng = random.Random(seed * 1_000_003 + number)
    values = {"nik": nik(rng), "nib": f"91200{rng.randint(10**7, 10**8 - 1)}",
              "permit": f"503/{rng.randint(1, 999)}/DPMPTSP/{rng.randint(2021, 2026)}",
              "kbli": f"{rng.randint(10000, 99999)}", "place": rng.choice(PLACES)}
    pages = [" ".join(rng.choice(SENTENCES).format(**values) for _ in range(rng.randint(8, 11)))
             for _ in range(rng.choice((1, 1, 2)))]
    return {
        "doc_id": str(number), "application_id": number // 3 + 1,
        "registration_number": f"reg-{2021 + number % 6}-{number // 3:06d}",
        "applicant_name": f"{rng.choice(NAMES)} {rng.choice(NAMES)}", "nik": values["nik"], "nib": values["nib"],
        "permit_number": values["permit"].lower(), "service": rng.choice(SERVICES), "sector": str(rng.randint(1, 10)),
        "document_type": rng.choice(TYPES), "state": "indexed",
        "uploaded_at": dt.datetime(2021, 1, 1) + dt.timedelta(minutes=number * 7),
        "filename": f"scan-{number}.pdf", "content": "\f".join(pages),
    }
