"""Uploads are recognised by their bytes; bad files are refused clearly and nothing is stored."""

import io
import tracemalloc
import zlib

import pytest
from PIL import Image

from app.archive import pdfbomb
from app.archive.intake import JPEG, PDF, PNG, TIFF, UploadRefused, check_upload
from bench.upload_bench import write_pdf
from tests.archive.samples import deflated, encrypted_pdf, image_bytes, raw_pdf, scan_image, text_pdf
from tests.conftest import api_token

MB = 1024 * 1024


def bomb_png() -> bytes:
    """A tiny file that decodes to 400 megapixels."""
    return image_bytes(Image.new("1", (20000, 20000)), "PNG", optimize=True)


BAD_FILES = {
    "empty": (lambda: b"", "kosong"),
    "text file named .pdf": (lambda: b"Ini bukan PDF, hanya teks biasa.\n" * 20, "bukan"),
    "zip": (lambda: b"PK\x03\x04" + b"\x00" * 200, "bukan"),
    "encrypted pdf": (encrypted_pdf, "kata sandi"),
    "truncated pdf": (lambda: text_pdf("terpotong")[:-200], "terpotong"),
    "corrupt pdf": (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 100 + b"\n%%EOF\n", "rusak"),
    "truncated jpeg": (lambda: image_bytes(scan_image("potong").convert("RGB"), "JPEG")[:3000], "rusak"),
    "decompression bomb": (bomb_png, "terlalu besar"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_files_are_refused_with_a_clear_message_and_nothing_is_stored(app, upload, stored, application_in, kind):
    make, words = BAD_FILES[kind]
    application_id = application_in()
    before = stored()
    response = upload("arsip", make(), application_id=application_id, name="berkas.pdf")
    assert response.status_code == 400, response.get_json()
    assert words in " ".join(response.get_json()["message"]["file"])
    assert stored() == before


@pytest.mark.parametrize("content, name, media_type", [
    (lambda: text_pdf("isi"), "scan.bin", PDF),
    (lambda: image_bytes(scan_image("foto").convert("RGB"), "JPEG"), "foto.pdf", JPEG),
    (lambda: image_bytes(scan_image("gambar"), "PNG"), "gambar", PNG),
    (lambda: image_bytes(scan_image("tiff"), "TIFF", compression="tiff_lzw"), "x.tif", TIFF),
])
def test_types_are_recognised_by_content_not_by_name(app, upload, content, name, media_type):
    response = upload("arsip", content(), name=name)
    assert response.status_code == 201, response.get_json()
    shown = app.test_client()
    body = shown.get(f"/api/v1/document/{response.get_json()['id']}", headers=api_token(shown, "arsip")).get_json()
    assert body["result"]["media_type"] == media_type


def test_size_limit_is_checked_before_storing(tmp_path):
    path = tmp_path / "besar.pdf"
    path.write_bytes(text_pdf("besar") + b"%" * MB)
    with path.open("rb") as stream, pytest.raises(UploadRefused, match="limit of 1 MB"):
        check_upload(stream, path.name, max_size=MB, max_pixels=10**8)


def test_multi_page_tiff_pages_are_each_checked():
    frames = [scan_image("satu"), Image.new("L", (30000, 30000), 255)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:], compression="tiff_lzw")
    buffer.seek(0)
    with pytest.raises(UploadRefused, match="too large"):
        check_upload(buffer, "dua.tif", max_size=100 * MB, max_pixels=10**8)


def flate_bomb(layers: int) -> bytes:
    """A few KiB (nested) or ~200 KiB (one layer) of PDF whose content stream inflates to 200 MiB."""
    flate = " ".join(["/FlateDecode"] * layers)
    return raw_pdf(deflated(200 << 20, layers), f"/Filter [{flate}]")


PDF_BOMBS = {
    "one flate layer": (lambda: flate_bomb(1), "bom"),
    "nested flate layers": (lambda: flate_bomb(2), "bom"),
    "page of 200 x 200 inches": (lambda: raw_pdf(b"BT ET", mediabox="0 0 14400 14400"), "terlalu besar"),
}


@pytest.mark.parametrize("kind", PDF_BOMBS)
def test_pdf_bombs_are_refused_and_nothing_is_stored(app, upload, stored, kind):
    make, words = PDF_BOMBS[kind]
    before = stored()
    response = upload("arsip", make(), name="bom.pdf")
    assert response.status_code == 400, response.get_json()
    assert words in " ".join(response.get_json()["message"]["file"])
    assert stored() == before


def test_a_pdf_image_declaring_too_many_pixels_is_refused():
    # 9 megapixels of JPEG on a small page (1200 dpi): only the image is over the limit of 8.
    content = image_bytes(Image.new("L", (3000, 3000), 255), "PDF", resolution=1200)
    with pytest.raises(UploadRefused, match="image on page 1 .* too large"):
        check_upload(io.BytesIO(content), "gambar.pdf", max_size=MB, max_pixels=8 * 10**6)
    assert check_upload(io.BytesIO(content), "gambar.pdf", max_size=MB, max_pixels=10**7) == PDF


def test_a_pdf_with_ordinary_flate_streams_is_accepted():
    text = b"BT /F1 12 Tf 72 700 Td (Izin usaha) Tj ET\n" * 2000
    content = raw_pdf(zlib.compress(zlib.compress(text)), "/Filter [/FlateDecode /FlateDecode]")
    assert check_upload(io.BytesIO(content), "biasa.pdf", max_size=MB, max_pixels=10**8) == PDF


def test_a_damaged_stream_does_not_hide_a_bomb_after_it():
    damaged = raw_pdf(b"\x78\x9c not deflate at all", "/Filter /FlateDecode")
    bomb = flate_bomb(2)
    with pytest.raises(pdfbomb.TooMuchData):
        pdfbomb.check_inflated_size(io.BytesIO(damaged + bomb), 64 * MB)


def test_inflated_size_is_counted_across_chunks_and_streams(monkeypatch):
    monkeypatch.setattr(pdfbomb, "CHUNK", 4096)  # stream keywords and data split between reads
    content = raw_pdf(deflated(3 << 20, 2), "/Filter [/FlateDecode /FlateDecode]")
    doubled = content.replace(b"%%EOF", b"") + content  # two bomb-free streams of 3 MiB each
    assert pdfbomb.check_inflated_size(io.BytesIO(doubled), 7 << 20) == 6 << 20
    with pytest.raises(pdfbomb.TooMuchData):
        pdfbomb.check_inflated_size(io.BytesIO(doubled), 5 << 20)


def test_a_large_pdf_is_checked_in_bounded_memory(tmp_path):
    """Intake reads pieces (the header, the tail, the streams chunk by chunk), never the whole file."""
    path = tmp_path / "besar.pdf"
    write_pdf(path, 48 * MB)
    tracemalloc.start()
    try:
        with path.open("rb") as stream:
            assert check_upload(stream, path.name, max_size=64 * MB, max_pixels=10**8) == PDF
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB, f"{peak / MB:.1f} MB held to check a 48 MB PDF"


def test_pdfs_checked_by_concurrent_requests_do_not_crash_the_server():
    """pdfium is not thread-safe: without the lock, parallel uploads crashed the process (segfault)."""
    from concurrent.futures import ThreadPoolExecutor

    content = text_pdf("halaman satu", "halaman dua", "halaman tiga")

    def check(_):
        return check_upload(io.BytesIO(content), "scan.pdf", max_size=10 * 1024 * 1024, max_pixels=10**9)

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(check, range(200))) == {PDF}
