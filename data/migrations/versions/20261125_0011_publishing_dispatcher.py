"""Publishing: post revisions, leases and attempts for the dispatcher, post history, media, per-account
limits and cool-downs

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('app_cooldown',
    sa.Column('connector', sa.String(length=32), nullable=False),
    sa.Column('until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.PrimaryKeyConstraint('connector', name=op.f('pk_app_cooldown'))
    )
    op.create_table('media_asset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_media_asset_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_media_asset')),
    sa.UniqueConstraint('workspace_id', 'sha256', name=op.f('uq_media_asset_workspace_id_sha256'))
    )
    op.create_table('dispatch_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('attempt', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('idempotency_key', sa.String(length=64), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('message', sa.String(length=1000), nullable=True),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_dispatch_attempt_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_attempt')),
    sa.UniqueConstraint('post_id', 'attempt', name=op.f('uq_dispatch_attempt_post_id_attempt'))
    )
    with op.batch_alter_table('dispatch_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_dispatch_attempt_started', ['started_at'], unique=False)

    op.create_table('post_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=254), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('body', sa.String(length=2000), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_event_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_event'))
    )
    with op.batch_alter_table('post_event', schema=None) as batch_op:
        batch_op.create_index('ix_post_event_kind_at', ['kind', 'at'], unique=False)
        batch_op.create_index('ix_post_event_post', ['post_id', 'id'], unique=False)

    op.create_table('post_media',
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('media_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['media_id'], ['media_asset.id'], name=op.f('fk_post_media_media_id_media_asset'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['post_id'], ['post.id'], name=op.f('fk_post_media_post_id_post'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('post_id', 'position', name=op.f('pk_post_media'))
    )
    with op.batch_alter_table('post_media', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_media_media_id'), ['media_id'], unique=False)

    with op.batch_alter_table('channel_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_per_hour', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_per_day', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('max_lateness_minutes', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('paused_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('needs_reauth', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('status_detail', sa.String(length=500), nullable=True))

    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phase_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('group_key', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('series_key', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('link', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('timezone', sa.String(length=64), server_default='UTC', nullable=False))
        batch_op.add_column(sa.Column('run_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempt', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('lease_owner', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_by', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('approved_revision', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('assignee', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('external_id', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('external_url', sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column('last_error', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_post_group_key'), ['group_key'], unique=False)
        batch_op.create_index('ix_post_state_run', ['state', 'run_at'], unique=False)
        batch_op.create_index('ix_post_ws_scheduled', ['workspace_id', 'scheduled_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_post_phase_id_campaign_phase'), 'campaign_phase', ['phase_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_post_author_id_user_account'), 'user_account', ['author_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_post_approved_by_user_account'), 'user_account', ['approved_by'], ['id'], ondelete='SET NULL')

    # posts scheduled before this revision are due at their scheduled time
    op.execute("UPDATE post SET run_at = scheduled_at WHERE scheduled_at IS NOT NULL")



def downgrade() -> None:
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_post_approved_by_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_post_author_id_user_account'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_post_phase_id_campaign_phase'), type_='foreignkey')
        batch_op.drop_index('ix_post_ws_scheduled')
        batch_op.drop_index('ix_post_state_run')
        batch_op.drop_index(batch_op.f('ix_post_group_key'))
        batch_op.drop_column('updated_at')
        batch_op.drop_column('last_error')
        batch_op.drop_column('external_url')
        batch_op.drop_column('external_id')
        batch_op.drop_column('assignee')
        batch_op.drop_column('approved_revision')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('author_id')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('lease_owner')
        batch_op.drop_column('attempt')
        batch_op.drop_column('run_at')
        batch_op.drop_column('timezone')
        batch_op.drop_column('revision')
        batch_op.drop_column('link')
        batch_op.drop_column('series_key')
        batch_op.drop_column('group_key')
        batch_op.drop_column('phase_id')

    with op.batch_alter_table('channel_account', schema=None) as batch_op:
        batch_op.drop_column('status_detail')
        batch_op.drop_column('needs_reauth')
        batch_op.drop_column('paused_until')
        batch_op.drop_column('max_lateness_minutes')
        batch_op.drop_column('max_per_day')
        batch_op.drop_column('max_per_hour')

    with op.batch_alter_table('post_media', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_post_media_media_id'))

    op.drop_table('post_media')
    with op.batch_alter_table('post_event', schema=None) as batch_op:
        batch_op.drop_index('ix_post_event_post')
        batch_op.drop_index('ix_post_event_kind_at')

    op.drop_table('post_event')
    with op.batch_alter_table('dispatch_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_dispatch_attempt_started')

    op.drop_table('dispatch_attempt')
    op.drop_table('media_asset')
    op.drop_table('app_cooldown')
