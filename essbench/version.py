"""The package's version, in the lowest layer: the build's digests, the pages' colophon and the
library's exports read it without importing the package's front door (`essbench`)."""

__version__ = "0.1.0"
