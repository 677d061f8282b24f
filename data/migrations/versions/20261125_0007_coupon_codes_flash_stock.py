"""Coupon batches, codes and redemptions; flash-sale stock and reservations

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('coupon_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('offer_key', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('max_uses', sa.Integer(), nullable=True),
    sa.Column('per_customer', sa.Integer(), nullable=True),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_coupon_batch_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupon_batch'))
    )
    with op.batch_alter_table('coupon_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coupon_batch_offer_key'), ['offer_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_coupon_batch_workspace_id'), ['workspace_id'], unique=False)

    op.create_table('flash_stock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('offer_key', sa.String(length=64), nullable=False),
    sa.Column('stock', sa.Integer(), nullable=False),
    sa.Column('reserved', sa.Integer(), nullable=False),
    sa.Column('per_user_limit', sa.Integer(), nullable=True),
    sa.Column('per_order_limit', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_flash_stock_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flash_stock')),
    sa.UniqueConstraint('workspace_id', 'offer_key', name=op.f('uq_flash_stock_workspace_id_offer_key'))
    )
    with op.batch_alter_table('flash_stock', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flash_stock_offer_key'), ['offer_key'], unique=False)

    op.create_table('coupon_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('uses', sa.Integer(), nullable=False),
    sa.Column('max_uses', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['coupon_batch.id'], name=op.f('fk_coupon_code_batch_id_coupon_batch'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_coupon_code_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupon_code')),
    sa.UniqueConstraint('workspace_id', 'code', name=op.f('uq_coupon_code_workspace_id_code'))
    )
    with op.batch_alter_table('coupon_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coupon_code_batch_id'), ['batch_id'], unique=False)

    op.create_table('flash_reservation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stock_id', sa.Integer(), nullable=False),
    sa.Column('order_ref', sa.String(length=64), nullable=False),
    sa.Column('customer_hash', sa.String(length=64), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('reserved_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['stock_id'], ['flash_stock.id'], name=op.f('fk_flash_reservation_stock_id_flash_stock'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flash_reservation')),
    sa.UniqueConstraint('stock_id', 'order_ref', name=op.f('uq_flash_reservation_stock_id_order_ref'))
    )
    with op.batch_alter_table('flash_reservation', schema=None) as batch_op:
        batch_op.create_index('ix_flash_reservation_customer', ['stock_id', 'customer_hash'], unique=False)

    op.create_table('coupon_redemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('order_ref', sa.String(length=64), nullable=False),
    sa.Column('customer_hash', sa.String(length=64), nullable=True),
    sa.Column('redeemed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('released_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['code_id'], ['coupon_code.id'], name=op.f('fk_coupon_redemption_code_id_coupon_code'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupon_redemption')),
    sa.UniqueConstraint('code_id', 'order_ref', name=op.f('uq_coupon_redemption_code_id_order_ref'))
    )
    with op.batch_alter_table('coupon_redemption', schema=None) as batch_op:
        batch_op.create_index('ix_coupon_redemption_customer', ['code_id', 'customer_hash'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('coupon_redemption', schema=None) as batch_op:
        batch_op.drop_index('ix_coupon_redemption_customer')

    op.drop_table('coupon_redemption')
    with op.batch_alter_table('flash_reservation', schema=None) as batch_op:
        batch_op.drop_index('ix_flash_reservation_customer')

    op.drop_table('flash_reservation')
    with op.batch_alter_table('coupon_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coupon_code_batch_id'))

    op.drop_table('coupon_code')
    with op.batch_alter_table('flash_stock', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flash_stock_offer_key'))

    op.drop_table('flash_stock')
    with op.batch_alter_table('coupon_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coupon_batch_workspace_id'))
        batch_op.drop_index(batch_op.f('ix_coupon_batch_offer_key'))

    op.drop_table('coupon_batch')
