"""Meeting mode: the panel's meeting run from one laptop on a projector."""
