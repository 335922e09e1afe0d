"""The model: the template format, scenarios and their edits, compute() and its results. Reads no file."""
