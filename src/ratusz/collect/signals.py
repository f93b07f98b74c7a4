"""Signals of the collect app, for other apps to react to new data without collect depending on them."""

from django.dispatch import Signal

# Sent after a bulk write (file import, platform collection) committed new comments; kwargs: count.
# Bulk inserts bypass post_save, so the language app listens to this to queue scoring.
comments_stored = Signal()
