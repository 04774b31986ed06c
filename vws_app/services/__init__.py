"""Plain-Python services: every rule of the site lives here, free of Reflex."""
