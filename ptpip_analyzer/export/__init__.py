"""Getting things out of a capture: transferred objects as files, bug-report excerpts."""
