"""Uploads are recognised by their bytes; bad files are refused clearly and nothing is stored."""

import io

import pytest
from PIL import Image

from app.archive.intake import JPEG, PDF, PNG, TIFF, UploadRefused, check_upload
from tests.archive.samples import encrypted_pdf, image_bytes, scan_image, text_pdf
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
