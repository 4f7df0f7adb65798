"""pdfium is not thread-safe: the web server (threaded) and the worker (several task threads) take this
lock around every pypdfium2 call, or two requests reading PDFs at once crash the process."""

import threading

PDFIUM_LOCK = threading.RLock()
