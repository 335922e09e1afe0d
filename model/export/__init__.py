"""The results workbook an analyst sends to a colleague: formulas with their values, native charts."""
