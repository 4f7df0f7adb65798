"""indexes for the daily list pages, newest first: documents, the audit log, a sector's applications

Revision ID: 0010_list_indexes
Revises: 0009_counter_ticket_link
"""
from alembic import op

revision = "0010_list_indexes"
down_revision = "0009_counter_ticket_link"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_document_uploaded_at": ("document", ["uploaded_at"]),
    "ix_document_sector_uploaded": ("document", ["sector_id", "uploaded_at"]),
    "ix_audit_log_at": ("audit_log", ["at"]),
    "ix_application_sector_created": ("application", ["sector_id", "created_at"]),
}


def upgrade():
    for name, (table, columns) in INDEXES.items():
        op.create_index(name, table, columns)


def downgrade():
    for name, (table, _columns) in INDEXES.items():
        op.drop_index(name, table)
