"""The editors' admin pages."""
