"""Each region's part of a round's stored results (national region-level conditions, indicator totals), so that
a workflow step recomputes one region and combines the national results from the parts.

Rounds computed before this revision have no parts: their next workflow step recomputes the whole round once
(or run `flask --app shelter_monitor results refresh`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('region_result',
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('national_conditions', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('indicator_totals', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], ),
    sa.ForeignKeyConstraint(['round_id'], ['monitoring_round.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'region_id')
    )


def downgrade():
    op.drop_table('region_result')
