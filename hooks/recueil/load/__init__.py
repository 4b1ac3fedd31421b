"""Reading the sources: YAML with lines, files read safely, the collection and the figures checked."""
