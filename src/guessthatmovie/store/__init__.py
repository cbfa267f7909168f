"""The queries, one module per concern; the only code that talks to db.session."""
