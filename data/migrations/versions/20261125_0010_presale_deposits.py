"""Presale deposits: presales with their windows, and orders with deposit, final payment and forfeiture

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('presale',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('offer_key', sa.String(length=64), nullable=False),
    sa.Column('deposit_minor', sa.BigInteger(), nullable=False),
    sa.Column('worth_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('deposit_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deposit_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('final_from', sa.DateTime(timezone=True), nullable=False),
    sa.Column('final_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deposit_refundable', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_presale_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presale')),
    sa.UniqueConstraint('workspace_id', 'offer_key', name=op.f('uq_presale_workspace_id_offer_key'))
    )
    with op.batch_alter_table('presale', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presale_final_until'), ['final_until'], unique=False)

    op.create_table('presale_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('presale_id', sa.Integer(), nullable=False),
    sa.Column('order_ref', sa.String(length=64), nullable=False),
    sa.Column('customer_hash', sa.String(length=64), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('deposit_minor', sa.BigInteger(), nullable=False),
    sa.Column('deposit_paid_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('final_minor', sa.BigInteger(), nullable=True),
    sa.Column('final_paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refunded_minor', sa.BigInteger(), nullable=True),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['presale_id'], ['presale.id'], name=op.f('fk_presale_order_presale_id_presale'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_presale_order')),
    sa.UniqueConstraint('presale_id', 'order_ref', name=op.f('uq_presale_order_presale_id_order_ref'))
    )
    with op.batch_alter_table('presale_order', schema=None) as batch_op:
        batch_op.create_index('ix_presale_order_customer', ['customer_hash'], unique=False)
        batch_op.create_index('ix_presale_order_state', ['state', 'presale_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('presale_order', schema=None) as batch_op:
        batch_op.drop_index('ix_presale_order_state')
        batch_op.drop_index('ix_presale_order_customer')

    op.drop_table('presale_order')
    with op.batch_alter_table('presale', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_presale_final_until'))

    op.drop_table('presale')
