"""The Simulation tab: runs model.simulate off the GUI thread (progress, Cancel) and shows its figures."""
