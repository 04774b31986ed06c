"""Reflex states, one per concern; they call services and hold only what pages show."""
