"""Date and number formats of the interface (settings.FORMAT_MODULE_PATH)."""
