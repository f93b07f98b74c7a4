"""ratusz: the digital conversation between Polish local governments and their residents."""

__version__ = "0.1.0"
