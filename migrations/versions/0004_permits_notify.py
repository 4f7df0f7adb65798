"""a permit after issue (revocation, its history) and notifications to applicants (templates, outbox)

Revision ID: 0004_permits_notify
Revises: 0003_archive
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_permits_notify"
down_revision = "0003_archive"
branch_labels = None
depends_on = None


def _enum(name, *values):
    return sa.Enum(*values, native_enum=False, create_constraint=True, length=32, name=name)


EVENTS = ("registered", "needs_fix", "permit_ready", "survey_invitation", "permit_expiring")


def upgrade():
    with op.batch_alter_table("permit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revoked_at", sa.DateTime(), nullable=True))
        batch_op.create_index("ix_permit_valid_until", ["valid_until"], unique=False)
    op.create_table(
        "permit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("permit_id", sa.Integer(), nullable=False),
        sa.Column("action", _enum("ck_permitaction", "revoked", "corrected"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decree_number", sa.String(length=100), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["permit_id"], ["permit.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_permit_event_permit_id", "permit_event", ["permit_id"], unique=False)
    op.create_table(
        "notification_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event", _enum("ck_notifyevent", *EVENTS), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("event"),
    )
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("event", _enum("ck_notifyevent", *EVENTS), nullable=False),
        sa.Column("channel", _enum("ck_notifychannel", "email", "whatsapp"), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("state", _enum("ck_outboxstate", "queued", "sent", "failed"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["application_id"], ["application.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_outbox_message_application_id", "outbox_message", ["application_id"], unique=False)
    op.create_index("ix_outbox_message_state", "outbox_message", ["state"], unique=False)
    op.create_index("ix_outbox_message_next_attempt_at", "outbox_message", ["next_attempt_at"], unique=False)


def downgrade():
    op.drop_table("outbox_message")
    op.drop_table("notification_template")
    op.drop_index("ix_permit_event_permit_id", table_name="permit_event")
    op.drop_table("permit_event")
    with op.batch_alter_table("permit", schema=None) as batch_op:
        batch_op.drop_index("ix_permit_valid_until")
        batch_op.drop_column("revoked_at")
