"""Upload benchmark: the memory a 200 MB upload costs the web process, against the issue's 30 MB.

    python -m bench.upload_bench [--mb 200]

Runs the real app (local SeaweedFS, a temporary SQLite database, MAX_UPLOAD_MB raised for the run)
behind werkzeug's server in a thread, and uploads a generated PDF of that size (one page, and a large
embedded stream of random bytes) with curl in another process, so that only the server's memory is
counted. RSS is read from /proc/self/status: before the upload (after a small warm-up upload has
loaded every library), peak during it (VmHWM, reset just before), and after.
"""

import argparse
import os
import secrets
import subprocess
import tempfile
import threading
import time
from pathlib import Path

TARGET_MB = 30
PIECE = 1 << 20


def write_pdf(path: Path, size: int) -> None:
    """A valid one-page PDF of about `size` bytes, written piece by piece (never whole in memory). The bulk
    is a stream no page or catalogue entry uses (an embedded file would be refused as active content)."""
    with path.open("wb") as out:
        out.write(b"%PDF-1.7\n")
        offsets = [out.tell()]
        out.write(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n")
        offsets.append(out.tell())
        out.write(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n")
        offsets.append(out.tell())
        out.write(b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n")
        offsets.append(out.tell())
        pieces = max(1, size // PIECE)
        out.write(f"4 0 obj\n<< /Type /EmbeddedFile /Length {pieces * PIECE} >>\nstream\n".encode())
        for _ in range(pieces):
            out.write(os.urandom(PIECE))  # incompressible, like scans already compressed
        out.write(b"\nendstream\nendobj\n")
        offsets.append(out.tell())
        out.write(b"5 0 obj\n<< /Type /Filespec /F (data.bin) /EF << /F 4 0 R >> >>\nendobj\n")
        xref = out.tell()
        out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        out.write(b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets))
        out.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())


def status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def reset_peak() -> None:
    """VmHWM starts again from the current RSS (Linux: writing 5 to clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")


def make_app(work: Path, s3, max_mb: int):
    from app import create_app
    from app.cli import initialise

    flask_app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'sigap.db'}",
        "S3_ENDPOINT": s3.endpoint, "S3_LOCAL": False, "S3_ACCESS_KEY": s3.access_key,
        "S3_SECRET_KEY": s3.secret_key, "S3_BUCKET": "sigap-bench",
        "SIGAP_INDEX_DIR": str(work / "index"), "HUEY_SQLITE_PATH": str(work / "huey.db"),
        # Extraction stays queued (no worker runs): only the request path is measured.
        "HUEY_IMMEDIATE": False,
        "MAX_UPLOAD_MB": max_mb, "MAX_CONTENT_LENGTH": (max_mb + 1) * PIECE,
    })
    with flask_app.app_context():
        initialise()
        sm = flask_app.appbuilder.sm
        sm.add_user("bench", "Bench", "Arsip", "bench@local", sm.find_role("Arsip"), password="Bench-12345")
        from app.storage import get_store

        get_store().ensure_bucket()
    return flask_app


def token(base: str) -> str:
    import json
    import urllib.request

    request = urllib.request.Request(
        f"{base}/api/v1/security/login", method="POST", headers={"Content-Type": "application/json"},
        data=json.dumps({"username": "bench", "password": "Bench-12345", "provider": "db"}).encode(),
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["access_token"]


def curl_upload(base: str, access_token: str, path: Path) -> str:
    return subprocess.run(
        ["curl", "-sS", "-H", f"Authorization: Bearer {access_token}", "-F", f"file=@{path};type=application/pdf",
         "-F", "document_type=LAINNYA", f"{base}/api/v1/document/"],
        check=True, capture_output=True, text=True,
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="Size of the uploaded PDF.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sigap-upload-bench-") as folder:
        work = Path(folder)
        os.environ["SIGAP_INSTANCE_DIR"] = str(work)  # config.py reads it at import
        from werkzeug.serving import make_server

        from app.storage import LocalS3Server

        with LocalS3Server(work / "s3", f"bench-{secrets.token_hex(4)}", secrets.token_urlsafe(24), s3_port=0) as s3:
            server = make_server("127.0.0.1", 0, make_app(work, s3, args.mb + 10), threaded=True)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            base = f"http://127.0.0.1:{server.server_port}"
            try:
                measure(base, work, args.mb)
            finally:
                server.shutdown()


def measure(base: str, work: Path, size_mb: int) -> None:
    small, big = work / "small.pdf", work / "big.pdf"
    write_pdf(small, PIECE)
    started = time.perf_counter()
    write_pdf(big, size_mb * PIECE)
    print(f"generated {big.stat().st_size / PIECE:.0f} MB PDF in {time.perf_counter() - started:.1f} s")
    access_token = token(base)
    print("warm-up:", curl_upload(base, access_token, small).strip())
    before = status_mb("VmRSS")
    reset_peak()
    started = time.perf_counter()
    answer = curl_upload(base, access_token, big).strip()
    seconds = time.perf_counter() - started
    peak, after = status_mb("VmHWM"), status_mb("VmRSS")
    print("upload:", answer)
    growth = peak - before
    print(f"{size_mb} MB upload in {seconds:.1f} s ({size_mb / seconds:.0f} MB/s)")
    print(f"RSS before {before:.0f} MB, peak {peak:.0f} MB, after {after:.0f} MB")
    print(f"RSS growth {growth:.1f} MB; target <= {TARGET_MB} MB: {growth / TARGET_MB:.2f} x target "
          f"({'met' if growth <= TARGET_MB else 'NOT met'})")


if __name__ == "__main__":
    main()
