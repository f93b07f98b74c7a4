"""Benchmarks: each module prints figures; run with `python -m benchmarks NAME [options]`."""
