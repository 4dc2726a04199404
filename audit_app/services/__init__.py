"""The use cases both fronts call. Each takes a `Database` and keyword-only arguments,
runs in its own short transaction, and returns plain frozen dataclasses."""
