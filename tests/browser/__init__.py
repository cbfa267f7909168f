"""Real-browser tests: Chromium (through Playwright) against the app served by gunicorn."""
