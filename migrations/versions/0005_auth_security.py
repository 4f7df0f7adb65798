"""security: user ids never reused, token stamps, attempt lock-outs, hash-chained audit log

Revision ID: 0005_auth_security
Revises: 0004_permits_notify
"""
from alembic import op
import sqlalchemy as sa

revision = "0005_auth_security"
down_revision = "0004_permits_notify"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade():
    _never_reuse_user_ids()
    op.create_table(
        "user_stamp",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stamp", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["ab_user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "attempt_guard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target", sa.String(length=255), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "target"),
    )
    head = op.create_table(
        "audit_chain_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    op.bulk_insert(head, [{"id": 1, "last_hash": _chain_existing_entries()}])


def _never_reuse_user_ids():
    """SQLite hands a deleted user's id to the next user unless the table is AUTOINCREMENT (PostgreSQL's
    sequence never does). The table is rebuilt with foreign keys off, or the rebuild would cascade the
    drop of the old table to the users' roles."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    if bind.connection.dbapi_connection.in_transaction:
        bind.exec_driver_sql("COMMIT")  # PRAGMA foreign_keys is ignored inside a transaction
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    try:
        with op.batch_alter_table("ab_user", recreate="always",
                                  table_kwargs={"sqlite_autoincrement": True}) as batch_op:
            batch_op.alter_column("id", existing_type=sa.Integer(), autoincrement=True)
        bind.exec_driver_sql("COMMIT")
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def _chain_existing_entries() -> str:
    """Chains the entries written before this revision, oldest first; returns the newest hash."""
    from app.audit import entry_hash

    bind = op.get_bind()
    log = sa.table("audit_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime),
                   sa.column("user_id", sa.Integer), *(sa.column(name, sa.String) for name in (
                       "username", "action", "entity", "entity_id", "detail", "ip_address", "prev_hash",
                       "entry_hash")))
    previous = GENESIS
    for row in bind.execute(sa.select(log).order_by(log.c.id)).mappings().all():
        digest = entry_hash(row, previous)
        bind.execute(log.update().where(log.c.id == row["id"]).values(prev_hash=previous, entry_hash=digest))
        previous = digest
    return previous


def downgrade():
    op.drop_table("audit_chain_head")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
    op.drop_table("attempt_guard")
    op.drop_table("user_stamp")
