"""The front desk: queue tickets, the assistance log's timed steps, the berita dokumen receipt."""
