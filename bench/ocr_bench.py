"""OCR benchmark: pages per minute of SIGAP's extraction beside the plain `tesseract` command.

    python -m bench.ocr_bench [--pages 6]

Makes scanned-looking pages (Indonesian text at 300 dpi on A4, slightly rotated, blurred and
speckled; the same every run), puts them in one image-only PDF, and reads it with
app.archive.extraction.extract_pages (pdfium rendering, pages in parallel, OMP_THREAD_LIMIT=1).
Then runs `tesseract PAGE.png out -l ind+eng` on the same 300-dpi images one after another, as
someone would by hand (Tesseract's defaults, OpenMP included), and again with OMP_THREAD_LIMIT=1
(to tell the gain of one thread per page from that of pages side by side). Prints pages/minute for both, their
ratio, and the share of the source words each one read back.
"""

import argparse
import difflib
import io
import os
import random
import re
import subprocess
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

DPI = 300
A4 = (2480, 3508)  # pixels at 300 dpi
LANGUAGES = "ind+eng"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SENTENCES = [
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Pariaman",
    "Surat permohonan izin mendirikan bangunan diajukan oleh pemohon",
    "Berdasarkan hasil pemeriksaan lapangan oleh tim teknis tanggal 12 Maret 2024",
    "Nomor Induk Berusaha 9120301234567 atas nama CV Sinar Bahari",
    "Kepala Dinas menetapkan rekomendasi teknis untuk usaha perdagangan",
    "Lokasi usaha berada di Jalan Imam Bonjol Nomor 45 Kelurahan Kampung Baru",
    "Persyaratan administrasi telah dipenuhi sesuai peraturan daerah yang berlaku",
    "Retribusi persetujuan bangunan gedung dibayarkan melalui bank daerah",
    "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya",
    "Pemohon wajib menjaga kebersihan lingkungan dan sanitasi tempat usaha",
    "Izin ini berlaku selama pemegang izin menjalankan kegiatan usahanya",
    "Tembusan disampaikan kepada Wali Kota Pariaman dan camat setempat",
]
LINES_PER_PAGE = 24


def page_text(number: int) -> str:
    """The lines of page `number`: the sentences in an order fixed by the page number."""
    rng = random.Random(number)
    return "\n".join(rng.choice(SENTENCES) for _ in range(LINES_PER_PAGE))


def scanned_page(number: int) -> Image.Image:
    """A 300-dpi greyscale page as a scanner leaves it: tilted, soft, speckled, JPEG-compressed (seeded)."""
    rng = random.Random(1000 + number)
    image = Image.new("L", A4, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 30)  # 7 pt at 300 dpi: small print
    for line_number, line in enumerate(page_text(number).splitlines()):
        draw.text((200, 250 + 120 * line_number), line, font=font, fill=rng.randrange(40, 130))
    for _ in range(30000):
        draw.point((rng.randrange(A4[0]), rng.randrange(A4[1])), fill=rng.randrange(0, 200))
    image = image.rotate(rng.uniform(-1.0, 1.0), resample=Image.BILINEAR, fillcolor=255)
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    return _jpeg(image, quality=15)  # the blocky edges of a scanner's own compression


def _jpeg(image: Image.Image, quality: int) -> Image.Image:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return Image.open(buffer).convert("L")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def word_accuracy(source: str, read: str) -> float:
    """The share of the source's words read back, in order (matching blocks of the two word lists)."""
    expected = words(source)
    matcher = difflib.SequenceMatcher(None, expected, words(read), autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


def sigap_read(pdf: Path) -> tuple[float, list[str]]:
    from app.archive.extraction import extract_pages
    from app.archive.intake import PDF

    started = time.perf_counter()
    pages = extract_pages(str(pdf), PDF, LANGUAGES, os.cpu_count() or 1)
    return time.perf_counter() - started, [page.text for page in pages]


def plain_tesseract(images: list[Path], threads: str | None = None) -> tuple[float, list[str]]:
    """`tesseract` on each image in turn; OpenMP as configured by default, or limited to `threads`."""
    env = {name: value for name, value in os.environ.items() if name != "OMP_THREAD_LIMIT"}
    if threads:
        env["OMP_THREAD_LIMIT"] = threads
    texts, started = [], time.perf_counter()
    for image in images:
        out = image.with_suffix("")
        subprocess.run(["tesseract", str(image), str(out), "-l", LANGUAGES], check=True, env=env,
                       capture_output=True)
        texts.append(out.with_suffix(".txt").read_text())
    return time.perf_counter() - started, texts


def report(name: str, seconds: float, texts: list[str]) -> float:
    per_minute = len(texts) * 60 / seconds
    accuracy = sum(word_accuracy(page_text(n), text) for n, text in enumerate(texts)) / len(texts)
    print(f"{name:<28} {seconds:6.1f} s  {per_minute:6.1f} pages/min  word accuracy {accuracy:.1%}")
    return per_minute


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sigap-ocr-bench-") as folder:
        work = Path(folder)
        pages = [scanned_page(number) for number in range(args.pages)]
        images = []
        for number, page in enumerate(pages):
            images.append(work / f"page-{number}.png")
            page.save(images[-1], dpi=(DPI, DPI))
        pdf = work / "scan.pdf"
        pages[0].save(pdf, "PDF", resolution=DPI, save_all=True, append_images=pages[1:])
        print(f"{args.pages} image-only A4 pages at {DPI} dpi, {os.cpu_count()} cores, languages {LANGUAGES}")
        sigap = report("SIGAP extract_pages", *sigap_read(pdf))
        plain = report("tesseract CLI, sequential", *plain_tesseract(images))
        single = report("  same, OMP_THREAD_LIMIT=1", *plain_tesseract(images, "1"))
        print(f"SIGAP / plain tesseract: {sigap / plain:.2f} x the pages per minute "
              f"({sigap / single:.2f} x the single-threaded command)")


if __name__ == "__main__":
    main()
