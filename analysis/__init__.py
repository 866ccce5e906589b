"""Comparison of stored plans across municipalities and over time (``klimamaal compare``).

Built on stored data only: targets as reviewers left them (``db.reviews.current_fields``), of
current document versions, counted by the one "same target" key. Prefect-free, like ``db``.
"""
