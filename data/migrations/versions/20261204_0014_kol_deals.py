"""KOL deals: deals per campaign and partner (brief, tracking code and link, status), their deliverables,
events (status changes and comments) and payments; budget commitments written by a deal name it.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


LIVE = "status NOT IN ('declined', 'cancelled')"  # one live deal per partner and campaign

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kol_deal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('fx_rate', sa.Numeric(precision=18, scale=8), nullable=True),
    sa.Column('key_messages', sa.Text(), server_default='', nullable=False),
    sa.Column('must_say', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('must_not_say', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('hashtags', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('links', sa.JSON(), server_default='[]', nullable=False),
    sa.Column('landing_url', sa.String(length=2000), nullable=False),
    sa.Column('tracking_code', sa.String(length=64), nullable=False),
    sa.Column('tracking_link', sa.String(length=2500), nullable=False),
    sa.Column('coupon_batch_id', sa.Integer(), nullable=True),
    sa.Column('offer_key', sa.String(length=64), nullable=False),
    sa.Column('owner', sa.String(length=254), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_kol_deal_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coupon_batch_id'], ['coupon_batch.id'], name=op.f('fk_kol_deal_coupon_batch_id_coupon_batch'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_kol_deal_partner_id_partner'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_kol_deal_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kol_deal')),
    sa.UniqueConstraint('workspace_id', 'tracking_code', name=op.f('uq_kol_deal_workspace_id_tracking_code'))
    )
    with op.batch_alter_table('kol_deal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kol_deal_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kol_deal_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(
            'uq_kol_deal_live_partner', ['campaign_id', 'partner_id'], unique=True,
            sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE),
        )

    op.create_table('kol_deliverable',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fee_minor', sa.BigInteger(), nullable=False),
    sa.Column('usage_rights', sa.String(length=200), nullable=False),
    sa.Column('usage_days', sa.Integer(), nullable=True),
    sa.Column('exclusivity_days', sa.Integer(), nullable=False),
    sa.Column('published_url', sa.String(length=2000), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['deal_id'], ['kol_deal.id'], name=op.f('fk_kol_deliverable_deal_id_kol_deal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kol_deliverable'))
    )
    with op.batch_alter_table('kol_deliverable', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kol_deliverable_deal_id'), ['deal_id'], unique=False)
        batch_op.create_index('ix_kol_deliverable_due', ['due_at'], unique=False)

    op.create_table('kol_deal_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('who', sa.String(length=254), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['kol_deal.id'], name=op.f('fk_kol_deal_event_deal_id_kol_deal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kol_deal_event'))
    )
    with op.batch_alter_table('kol_deal_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kol_deal_event_deal_id'), ['deal_id'], unique=False)

    op.create_table('kol_payment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('deal_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('who', sa.String(length=254), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['deal_id'], ['kol_deal.id'], name=op.f('fk_kol_payment_deal_id_kol_deal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kol_payment'))
    )
    with op.batch_alter_table('kol_payment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kol_payment_deal_id'), ['deal_id'], unique=False)

    with op.batch_alter_table('budget_commitment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kol_deal_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_budget_commitment_kol_deal_id'), ['kol_deal_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_budget_commitment_kol_deal_id_kol_deal'), 'kol_deal', ['kol_deal_id'], ['id'], ondelete='CASCADE'
        )


def downgrade() -> None:
    # a deal's fees would otherwise stay behind looking hand-entered
    op.execute("DELETE FROM budget_commitment WHERE kol_deal_id IS NOT NULL")
    with op.batch_alter_table('budget_commitment', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_budget_commitment_kol_deal_id_kol_deal'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_budget_commitment_kol_deal_id'))
        batch_op.drop_column('kol_deal_id')
    op.drop_table('kol_payment')
    op.drop_table('kol_deal_event')
    op.drop_table('kol_deliverable')
    op.drop_table('kol_deal')
