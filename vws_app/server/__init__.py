"""Routes the backend serves beside Reflex's: crawlable pages, feeds, sitemap, health, headers."""
