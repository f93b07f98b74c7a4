"""Signals of the collect app, for other apps to react to new data without collect depending on them."""

from django.dispatch import Signal

# Sent after a bulk write (file import, platform collection) committed new comments; kwargs: count.
# Bulk inserts bypass post_save, so the language app listens to this to queue scoring.
comments_stored = Signal()

# Sent at the end of a bulk write's transaction (file import, platform collection, demo data) that stored
# posts or follower snapshots; the metrics app brings its daily rollup up to date in the same transaction.
posts_stored = Signal()
