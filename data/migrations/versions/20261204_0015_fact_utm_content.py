"""Facts keep utm_content (a KOL deal's tracking link carries the partner's tracking code there); rows stored
before hold "". Not part of row_key, so files imported before keep their keys.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04
"""

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('metric_fact', schema=None) as batch_op:
        batch_op.add_column(sa.Column('utm_content', sa.String(length=100), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('metric_fact', schema=None) as batch_op:
        batch_op.drop_column('utm_content')
