"""Serving the console to many people at once: in a browser (`web`), and later over SSH."""
