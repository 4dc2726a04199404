"""Reading extracts and writing workbooks (no Qt)."""
