"""Readers that turn catalogue files into plain MovieRecords."""
