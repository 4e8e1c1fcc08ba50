"""plannen: summary columns (completeness, stopped, summary, fingerprint) so lists need no plan JSON

Revision ID: 0008
Revises: 0007

Existing versions are filled in once from their stored check report: ``geen plan`` without data,
``onvolledig`` when the report holds care not delivered (or unmet omvang), else ``compleet``.
"""
import json
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: Union[str, Sequence[str], None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def _category(v: dict) -> str:
    if "category" in v:
        return v["category"]
    return "zacht" if v.get("severity") == "soft" else "fout"


def _backfill(report: dict | None) -> tuple[str, dict]:
    report = report or {}
    cats = [_category(v) for v in report.get("violations", [])]
    unmet = report.get("unmet", [])
    missing = sum(max(0, u["required_minutes"] - u["planned_minutes"]) for u in unmet)
    incomplete = "niet_geleverd" in cats or missing > 0 or bool(report.get("cancelled_sessions"))
    return ("onvolledig" if incomplete else "compleet"), {
        "hard": cats.count("fout"), "not_delivered": cats.count("niet_geleverd"), "data": cats.count("gegevens"),
        "soft": cats.count("zacht"), "unmet_minutes": missing, "unmet_toewijzingen": len(unmet)}


def upgrade() -> None:
    with op.batch_alter_table('plannen') as batch:
        batch.add_column(sa.Column('completeness', sa.String(length=20), nullable=False, server_default=''))
        batch.add_column(sa.Column('stopped', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('summary', sa.JSON(none_as_null=True), nullable=True))
        batch.add_column(sa.Column('fingerprint', sa.JSON(none_as_null=True), nullable=True))
    conn = op.get_bind()
    plannen = sa.table('plannen', sa.column('id', sa.Integer), sa.column('data', sa.JSON),
                       sa.column('report', sa.JSON), sa.column('completeness', sa.String),
                       sa.column('summary', sa.JSON))
    rows = conn.execute(sa.select(plannen.c.id, plannen.c.data.is_(None), plannen.c.report)).all()
    for plan_id, no_data, report in rows:
        if isinstance(report, str):
            report = json.loads(report)
        completeness, summary = ("geen plan", {}) if no_data else _backfill(report)
        conn.execute(plannen.update().where(plannen.c.id == plan_id)
                     .values(completeness=completeness, summary=summary))


def downgrade() -> None:
    with op.batch_alter_table('plannen') as batch:
        batch.drop_column('fingerprint')
        batch.drop_column('summary')
        batch.drop_column('stopped')
        batch.drop_column('completeness')
