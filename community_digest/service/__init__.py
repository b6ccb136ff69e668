"""`hub subscribers serve`: the subscription service beside the static site.

Double opt-in, the preference centre and one-click unsubscribe (RFC 8058), over
the same SQLite database as `hub digest send`.
"""
