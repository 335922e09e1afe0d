"""The bundled scenario and its alternatives, every number with its source."""
