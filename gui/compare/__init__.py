"""The compare view: scenarios side by side, computed off the GUI thread when slow."""
