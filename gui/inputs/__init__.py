"""The input tabs: one schema-driven table model, the sheet views, the scenario bar."""
