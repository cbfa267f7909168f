"""The pure game core: rules, title matching, redaction and the daily pick (no Flask, no SQL)."""
