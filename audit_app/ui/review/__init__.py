"""The review and moderation screens, where panel members score cases and agree."""

from __future__ import annotations
