"""leadership reports and the public service survey (SKM); indexes for the dashboard

Revision ID: 0007_reports_skm
Revises: 0006_sop_rules
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_reports_skm"
down_revision = "0006_sop_rules"
branch_labels = None
depends_on = None

SKM_ELEMENTS = ("u1_requirements", "u2_procedure", "u3_completion_time", "u4_fee", "u5_product",
                "u6_competence", "u7_behaviour", "u8_complaints", "u9_facilities")
REPORT_COLUMNS = ["finished_at", "step_id", "actor_role", "user_id", "application_id", "working_minutes",
                  "met_standard"]


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, native_enum=False, create_constraint=True, length=32, name=name)


def upgrade():
    op.create_table(
        "office_settings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("office_name", sa.String(200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(100)),
        sa.Column("logo", sa.LargeBinary()),
        sa.Column("logo_media_type", sa.String(40)),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    # Step 10 of SOP-003 is done per month, not per application.
    with op.batch_alter_table("step_history") as batch_op:
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index("ix_step_history_report", REPORT_COLUMNS)
    op.create_table(
        "monthly_report",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("period_start", sa.Date(), nullable=False, unique=True),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("started_by_id", sa.Integer(), sa.ForeignKey("ab_user.id")),
        sa.Column("produced_at", sa.DateTime()),
        sa.Column("produced_by_id", sa.Integer(), sa.ForeignKey("ab_user.id")),
        sa.Column("step_history_id", sa.Integer(), sa.ForeignKey("step_history.id")),
        sa.Column("figures", sa.JSON()),
    )
    op.create_table(
        "skm_period",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "skm_response",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("application_id", sa.Integer(), sa.ForeignKey("application.id"), nullable=False, unique=True),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("service.id"), nullable=False),
        sa.Column("sector_id", sa.Integer(), sa.ForeignKey("sector.id"), nullable=False),
        sa.Column("period_id", sa.Integer(), sa.ForeignKey("skm_period.id"), nullable=False, index=True),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in SKM_ELEMENTS),
        sa.Column("age", sa.Integer()),
        sa.Column("sex", _enum("ck_sex", "male", "female")),
        sa.Column("education", _enum("ck_education", "sd", "smp", "sma", "diploma", "s1", "s2_s3")),
        sa.Column("occupation", _enum("ck_occupation", "pns", "tni_polri", "private", "entrepreneur", "other")),
        sa.Column("suggestion", sa.Text()),
        *(sa.CheckConstraint(f"{name} BETWEEN 1 AND 4", name=f"ck_skm_{name}") for name in SKM_ELEMENTS),
    )
    # Past days' step figures, rolled up once (app/reports/rollup.py).
    op.create_table("report_day", sa.Column("day", sa.Date(), primary_key=True),
                    sa.Column("span", sa.String(5), primary_key=True),
                    sa.Column("built_at", sa.DateTime(), nullable=False))
    op.create_table("report_step_day", sa.Column("day", sa.Date(), primary_key=True),
                    sa.Column("span", sa.String(5), primary_key=True),
                    sa.Column("step_id", sa.Integer(), primary_key=True),
                    sa.Column("working_minutes", sa.Integer(), primary_key=True),
                    sa.Column("steps", sa.Integer(), nullable=False))
    op.create_table("report_sla_day", sa.Column("day", sa.Date(), primary_key=True),
                    sa.Column("span", sa.String(5), primary_key=True),
                    sa.Column("dimension", sa.String(8), primary_key=True),
                    sa.Column("key", sa.String(64), primary_key=True),
                    sa.Column("timed", sa.Integer(), nullable=False), sa.Column("met", sa.Integer(), nullable=False))
    # Covering indexes: the dashboard's counts are answered from the index alone.
    op.create_index("ix_skm_response_report", "skm_response",
                    ["submitted_at", "service_id", "sector_id", *SKM_ELEMENTS])
    op.create_index("ix_application_report", "application",
                    ["created_at", "service_id", "channel", "risk_level", "sector_id", "status"])
    op.create_index("ix_application_backlog", "application", ["status", "sop_id", "current_node", "current_step_id"])
    op.create_index("ix_permit_report", "permit", ["issued_on", "application_id"])


def downgrade():
    op.drop_index("ix_permit_report", "permit")
    op.drop_index("ix_application_backlog", "application")
    op.drop_index("ix_application_report", "application")
    op.drop_table("report_sla_day")
    op.drop_table("report_step_day")
    op.drop_table("report_day")
    op.drop_index("ix_skm_response_report", "skm_response")
    op.drop_table("skm_response")
    op.drop_table("skm_period")
    op.drop_table("monthly_report")
    with op.batch_alter_table("step_history") as batch_op:
        batch_op.drop_index("ix_step_history_report")
        batch_op.alter_column("application_id", existing_type=sa.Integer(), nullable=False)
    op.drop_table("office_settings")
