"""Qt table models over the frozen row dataclasses the services return."""
