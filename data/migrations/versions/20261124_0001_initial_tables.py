"""initial tables

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from alembic import op
import sqlalchemy as sa


revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('festa_meta',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.String(length=1000), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_festa_meta'))
    )
    op.create_table('worker_heartbeat',
    sa.Column('worker_id', sa.String(length=200), nullable=False),
    sa.Column('hostname', sa.String(length=200), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ticks', sa.BigInteger(), nullable=False),
    sa.Column('last_problem', sa.String(length=1000), nullable=True),
    sa.PrimaryKeyConstraint('worker_id', name=op.f('pk_worker_heartbeat'))
    )
    op.create_table('workspace',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspace')),
    sa.UniqueConstraint('slug', name=op.f('uq_workspace_slug'))
    )
    op.create_table('campaign',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('festival_key', sa.String(length=64), nullable=True),
    sa.Column('objective', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('budget_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE', name=op.f('fk_campaign_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign'))
    )
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.create_index('ix_campaign_ws_status', ['workspace_id', 'status'], unique=False)

    op.create_table('channel_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('connector', sa.String(length=32), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE', name=op.f('fk_channel_account_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_channel_account'))
    )
    with op.batch_alter_table('channel_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channel_account_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('handle', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE', name=op.f('fk_partner_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner')),
    sa.UniqueConstraint('workspace_id', 'platform', 'handle', name=op.f('uq_partner_workspace_id_platform_handle'))
    )
    op.create_table('campaign_phase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('budget_minor', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE', name=op.f('fk_campaign_phase_campaign_id_campaign')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_phase'))
    )
    with op.batch_alter_table('campaign_phase', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_phase_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('metric_daily',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('impressions', sa.BigInteger(), nullable=False),
    sa.Column('engagements', sa.BigInteger(), nullable=False),
    sa.Column('clicks', sa.BigInteger(), nullable=False),
    sa.Column('conversions', sa.BigInteger(), nullable=False),
    sa.Column('revenue_minor', sa.BigInteger(), nullable=False),
    sa.Column('spend_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='CASCADE', name=op.f('fk_metric_daily_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], ondelete='SET NULL', name=op.f('fk_metric_daily_partner_id_partner')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE', name=op.f('fk_metric_daily_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_metric_daily'))
    )
    with op.batch_alter_table('metric_daily', schema=None) as batch_op:
        batch_op.create_index('ix_metric_campaign_day', ['campaign_id', 'day'], unique=False)

    op.create_table('post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('channel_account_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.String(length=10000), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='SET NULL', name=op.f('fk_post_campaign_id_campaign')),
    sa.ForeignKeyConstraint(['channel_account_id'], ['channel_account.id'], ondelete='CASCADE', name=op.f('fk_post_channel_account_id_channel_account')),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], ondelete='CASCADE', name=op.f('fk_post_workspace_id_workspace')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post'))
    )
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_post_channel_account_id'), ['channel_account_id'], unique=False)
        batch_op.create_index('ix_post_state_due', ['state', 'scheduled_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('post', schema=None) as batch_op:
        batch_op.drop_index('ix_post_state_due')
        batch_op.drop_index(batch_op.f('ix_post_channel_account_id'))
        batch_op.drop_index(batch_op.f('ix_post_campaign_id'))

    op.drop_table('post')
    with op.batch_alter_table('metric_daily', schema=None) as batch_op:
        batch_op.drop_index('ix_metric_campaign_day')

    op.drop_table('metric_daily')
    with op.batch_alter_table('campaign_phase', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_phase_campaign_id'))

    op.drop_table('campaign_phase')
    op.drop_table('partner')
    with op.batch_alter_table('channel_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channel_account_workspace_id'))

    op.drop_table('channel_account')
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_ws_status')

    op.drop_table('campaign')
    op.drop_table('workspace')
    op.drop_table('worker_heartbeat')
    op.drop_table('festa_meta')
