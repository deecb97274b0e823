"""Text analytics and indicators over parsed reports: keywords, facts, derived indicators."""
