"""cdktf-fix: repairs model-generated CDKTF Python against the installed AWS provider schema."""

__version__ = "0.1.0"
