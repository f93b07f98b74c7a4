"""The built-in import formats (declared as entry points in pyproject.toml, like any plug-in)."""
