"""A permit after issue: its validity and status, revocation and correction, the public authenticity
check (a signed code behind a QR code) and the expiry reminders.

    validity   issue and expiry dates, the status on a day (berlaku / kedaluwarsa / dicabut)
    changes    revocation and correction, each kept in the permit's append-only history
    check      the signed code of the public check (/cek/<code>) and its QR code
    reminders  permits expiring soon, counted on the office's working-day calendar
"""
