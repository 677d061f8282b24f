"""Group buys: rules, groups and members (with refund records)

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('group_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('leader_price_minor', sa.BigInteger(), nullable=False),
    sa.Column('member_price_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('on_fail', sa.String(length=16), nullable=False),
    sa.Column('min_real_members', sa.Integer(), nullable=False),
    sa.Column('per_user_limit', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_group_rule_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_rule')),
    sa.UniqueConstraint('workspace_id', 'key', name=op.f('uq_group_rule_workspace_id_key'))
    )
    op.create_table('group_buy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('virtual_members', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['rule_id'], ['group_rule.id'], name=op.f('fk_group_buy_rule_id_group_rule'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_buy'))
    )
    with op.batch_alter_table('group_buy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_buy_rule_id'), ['rule_id'], unique=False)
        batch_op.create_index('ix_group_buy_state_expires', ['state', 'expires_at'], unique=False)

    op.create_table('group_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('customer_hash', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('paid_minor', sa.BigInteger(), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refunded_minor', sa.BigInteger(), nullable=True),
    sa.Column('refunded_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['group_buy.id'], name=op.f('fk_group_member_group_id_group_buy'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_member')),
    sa.UniqueConstraint('group_id', 'customer_hash', name=op.f('uq_group_member_group_id_customer_hash'))
    )
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.create_index('ix_group_member_customer', ['customer_hash'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('group_member', schema=None) as batch_op:
        batch_op.drop_index('ix_group_member_customer')

    op.drop_table('group_member')
    with op.batch_alter_table('group_buy', schema=None) as batch_op:
        batch_op.drop_index('ix_group_buy_state_expires')
        batch_op.drop_index(batch_op.f('ix_group_buy_rule_id'))

    op.drop_table('group_buy')
    op.drop_table('group_rule')
