"""Monte Carlo over the Uncertainty sheet: correlated Latin-hypercube samples, an evaluator per path, mergeable
summaries (percentiles, probabilities, contribution to variance), locally or on a Dask cluster.

- ``correlation``: the nearest valid correlation matrix (Higham) and Iman–Conover rank correlation.
- ``sampling``: the seeded Latin hypercube and the inputs' values.
- ``evaluate``: the seam ``evaluate(scenario, samples) -> PathOutputs`` (reference: compute() path by path).
- ``summary``: what a batch of paths returns, and how batches merge into the simulation's figures.
- ``run``: ``simulate(...)``, batches run in-process or on a cluster (``cluster``, which alone imports Dask).
"""
