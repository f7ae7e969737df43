"""Rounds get an English name beside the Ukrainian one; existing rounds get their current name copied (an
administrator translates it on the round's form).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10

"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('monitoring_round') as batch_op:
        batch_op.add_column(sa.Column('name_en', sa.String(length=200), nullable=True))
    op.execute("UPDATE monitoring_round SET name_en = name")
    with op.batch_alter_table('monitoring_round') as batch_op:
        batch_op.alter_column('name_en', existing_type=sa.String(length=200), nullable=False)


def downgrade():
    with op.batch_alter_table('monitoring_round') as batch_op:
        batch_op.drop_column('name_en')
