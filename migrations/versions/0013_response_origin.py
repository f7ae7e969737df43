"""How each response came in (origin: web, import, odk-central, kobo; existing responses are 'web' unless their
audit trail says otherwise) and the instance id of a submission collected with ODK or Kobo, unique in its round
(NULLs, the responses not collected offline, do not collide on SQLite or PostgreSQL), so that the database
refuses a submission imported twice.

Before this revision the instance id of an imported submission lived only in its audit entry
(`response.import_submission`, changes.instance_id and changes.origin): the upgrade copies it onto the response.
Responses made by the platform's own import (`response.import`, never started on the pages) become 'import'.
The downgrade drops both columns; the audit entries still hold what they held.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-20

"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

audit_entry = sa.table('audit_entry', sa.column('id', sa.Integer()), sa.column('action', sa.String()),
                       sa.column('object_type', sa.String()), sa.column('object_id', sa.Integer()),
                       sa.column('changes', sa.JSON()))
response = sa.table('response', sa.column('id', sa.Integer()), sa.column('round_id', sa.Integer()),
                    sa.column('origin', sa.String()), sa.column('instance_id', sa.String()))


def upgrade():
    with op.batch_alter_table('response') as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=20), server_default='web', nullable=False))
        batch_op.add_column(sa.Column('instance_id', sa.String(length=64), nullable=True))
    _copy_origins_from_audit(op.get_bind())
    with op.batch_alter_table('response') as batch_op:
        batch_op.create_unique_constraint('uq_response_round_instance', ['round_id', 'instance_id'])


def _copy_origins_from_audit(connection):
    """Read the JSON in Python (portable: SQLite and PostgreSQL query JSON differently). Only the oldest
    response of an instance id in a round gets it, so that the unique constraint can be created."""
    imported = connection.execute(
        sa.select(audit_entry.c.object_id, audit_entry.c.changes, response.c.round_id)
        .join(response, response.c.id == audit_entry.c.object_id)
        .where(audit_entry.c.action == 'response.import_submission', audit_entry.c.object_type == 'response')
        .order_by(audit_entry.c.id))
    taken = set()
    for response_id, changes, round_id in imported:
        instance_id = str(changes.get('instance_id') or '')[:64] or None
        if (round_id, instance_id) in taken:
            instance_id = None
        taken.add((round_id, instance_id))
        connection.execute(response.update().where(response.c.id == response_id).values(
            origin=changes.get('origin') or 'odk-central', instance_id=instance_id))

    def entry(action):
        return sa.exists().where(audit_entry.c.object_type == 'response', audit_entry.c.object_id == response.c.id,
                                 audit_entry.c.action == action)
    connection.execute(response.update().where(response.c.origin == 'web', entry('response.import'),
                                               ~entry('response.start')).values(origin='import'))


def downgrade():
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_constraint('uq_response_round_instance', type_='unique')
        batch_op.drop_column('instance_id')
        batch_op.drop_column('origin')
