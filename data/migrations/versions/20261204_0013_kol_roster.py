"""KOL roster: partner accounts (platform, handle, followers, typical views, engagement rate and its variant),
partner details (region, categories, tags, contact, notes, currency, rate card, created_at) and the workspace's
tier thresholds. Every existing partner keeps its platform and handle, now also as its first account, and
takes its workspace's currency.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('partner_account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.Column('platform', sa.String(length=32), nullable=False),
    sa.Column('handle', sa.String(length=200), nullable=False),
    sa.Column('url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('followers', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('typical_views', sa.BigInteger(), nullable=True),
    sa.Column('engagement_rate', sa.Numeric(precision=9, scale=6), nullable=True),
    sa.Column('er_variant', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partner.id'], name=op.f('fk_partner_account_partner_id_partner'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_partner_account_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_account')),
    sa.UniqueConstraint('workspace_id', 'platform', 'handle', name=op.f('uq_partner_account_workspace_id_platform_handle'))
    )
    with op.batch_alter_table('partner_account', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partner_account_partner_id'), ['partner_id'], unique=False)

    # SQLite cannot ADD COLUMN with a non-constant default (created_at): recreate the table there
    recreate = 'always' if op.get_bind().dialect.name == 'sqlite' else 'auto'
    with op.batch_alter_table('partner', schema=None, recreate=recreate) as batch_op:
        batch_op.add_column(sa.Column('region', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('categories', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('tags', sa.JSON(), server_default='[]', nullable=False))
        batch_op.add_column(sa.Column('contact', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('notes', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('currency', sa.String(length=3), server_default='CNY', nullable=False))
        batch_op.add_column(sa.Column('rate_card', sa.JSON(), server_default='{}', nullable=False))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False))

    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kol_tiers', sa.JSON(), nullable=True))

    op.execute(
        "UPDATE partner SET currency = (SELECT w.currency FROM workspace w WHERE w.id = partner.workspace_id)"
    )
    op.execute(
        "INSERT INTO partner_account (workspace_id, partner_id, position, platform, handle, url, followers)"
        " SELECT workspace_id, id, 0, platform, handle, '', 0 FROM partner"
    )


def downgrade() -> None:
    with op.batch_alter_table('partner_account', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partner_account_partner_id'))

    op.drop_table('partner_account')
    with op.batch_alter_table('workspace', schema=None) as batch_op:
        batch_op.drop_column('kol_tiers')

    with op.batch_alter_table('partner', schema=None) as batch_op:
        batch_op.drop_column('created_at')
        batch_op.drop_column('rate_card')
        batch_op.drop_column('currency')
        batch_op.drop_column('notes')
        batch_op.drop_column('contact')
        batch_op.drop_column('tags')
        batch_op.drop_column('categories')
        batch_op.drop_column('region')
