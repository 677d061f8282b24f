"""Campaign owner, segments and targets; budget lines, commitments, saved templates; calendar windows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('campaign_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('festival_key', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=8), nullable=False),
    sa.Column('objective', sa.String(length=32), nullable=False),
    sa.Column('phases', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('channels', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_campaign_template_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_template')),
    sa.UniqueConstraint('workspace_id', 'name', name=op.f('uq_campaign_template_workspace_id_name'))
    )
    op.create_table('budget_commitment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_budget_commitment_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_budget_commitment_partner_id_partner'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_commitment'))
    )
    with op.batch_alter_table('budget_commitment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_commitment_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('campaign_budget',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_budget_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_campaign_budget_partner_id_partner'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_budget'))
    )
    with op.batch_alter_table('campaign_budget', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_budget_campaign_id'), ['campaign_id'], unique=False)

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('segments', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('targets', sa.JSON(), server_default='{}', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_campaign_owner_id_user_account'), 'user_account', ['owner_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('campaign_phase', schema=None) as batch_op:
        batch_op.add_column(sa.Column('targets', sa.JSON(), server_default='{}', nullable=False))

    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_windows', sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('calendar_windows')

    with op.batch_alter_table('campaign_phase', schema=None) as batch_op:
        batch_op.drop_column('targets')

    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_campaign_owner_id_user_account'), type_='foreignkey')
        batch_op.drop_column('targets')
        batch_op.drop_column('segments')
        batch_op.drop_column('owner_id')

    with op.batch_alter_table('campaign_budget', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_budget_campaign_id'))

    op.drop_table('campaign_budget')
    with op.batch_alter_table('budget_commitment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_commitment_campaign_id'))

    op.drop_table('budget_commitment')
    op.drop_table('campaign_template')
