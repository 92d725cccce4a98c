"""The multi-resolution hex journal and its world generator."""
