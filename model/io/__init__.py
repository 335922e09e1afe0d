"""Templates in and out: the importer, its safety checks, the template writer, atomic saves."""
