"""Benchmarks run by a command (`wirewatch bench ...`), reported as ratios measured in one run."""
