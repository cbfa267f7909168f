"""Readers that turn catalogue files into plain records (game/records.py); no database."""
