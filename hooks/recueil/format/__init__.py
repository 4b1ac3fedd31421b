"""The practice format: schema and vocabularies, body sections, what a contributor may write."""
