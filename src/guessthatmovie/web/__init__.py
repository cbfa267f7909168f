"""The web shell: blueprints that parse requests, call the core and render."""
