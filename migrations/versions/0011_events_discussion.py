"""events, discussion, task products: notifications of events, a pilot's comments, files as a
task's product, retracted evidence, due-date requests, unit levels

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_author_id_users')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_comments_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments'))
    )
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('task_due_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('old_due_date', sa.Date(), nullable=True),
    sa.Column('new_due_date', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_comment', sa.Text(), server_default='', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_task_due_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_task_due_requests_requested_by_id_users')),
    sa.ForeignKeyConstraint(['task_id'], ['tasks.id'], name=op.f('fk_task_due_requests_task_id_tasks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_due_requests'))
    )
    with op.batch_alter_table('task_due_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_due_requests_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_due_requests_task_id'), ['task_id'], unique=False)

    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('comment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retracted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('retracted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('retraction_reason', sa.Text(), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_evidence_comment_id'), ['comment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_task_id'), ['task_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_evidence_comment_id_comments'), 'comments', ['comment_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_evidence_task_id_tasks'), 'tasks', ['task_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_evidence_retracted_by_id_users'), 'users', ['retracted_by_id'], ['id'])

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('pilot_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('actor_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('params', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('url', sa.String(length=500), server_default='', nullable=False))
        batch_op.alter_column('kind',
               existing_type=sa.VARCHAR(length=16),
               type_=sa.String(length=32),
               existing_nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_notifications_key'), ['key'])
        batch_op.create_foreign_key(batch_op.f('fk_notifications_pilot_id_pilots'), 'pilots', ['pilot_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_notifications_actor_id_users'), 'users', ['actor_id'], ['id'])

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion_note', sa.Text(), server_default='', nullable=False))

    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=16), server_default='', nullable=False))



def downgrade():
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('completion_note')

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_notifications_actor_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_notifications_pilot_id_pilots'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_notifications_key'), type_='unique')
        batch_op.alter_column('kind',
               existing_type=sa.String(length=32),
               type_=sa.VARCHAR(length=16),
               existing_nullable=False)
        batch_op.drop_column('url')
        batch_op.drop_column('params')
        batch_op.drop_column('actor_id')
        batch_op.drop_column('pilot_id')
        batch_op.drop_column('key')

    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_evidence_retracted_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_evidence_task_id_tasks'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_evidence_comment_id_comments'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_evidence_task_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_comment_id'))
        batch_op.drop_column('retraction_reason')
        batch_op.drop_column('retracted_by_id')
        batch_op.drop_column('retracted_at')
        batch_op.drop_column('comment_id')
        batch_op.drop_column('task_id')

    with op.batch_alter_table('task_due_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_due_requests_task_id'))
        batch_op.drop_index(batch_op.f('ix_task_due_requests_status'))

    op.drop_table('task_due_requests')
    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_pilot_id'))

    op.drop_table('comments')
