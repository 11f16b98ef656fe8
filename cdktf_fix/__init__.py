"""cdktf-fix: repairs model-generated CDKTF Python against the installed AWS provider schema.

    from cdktf_fix import repair_source
    result = repair_source(code)   # .new_source, .fixes, .findings, .status
"""

__version__ = "0.1.0"
__all__ = ["__version__", "repair_source", "Engine", "Options", "load_index"]


def __getattr__(name: str):
    # imported on first use: ``cdktf-fix --version`` must not pay for libcst
    if name in ("repair_source", "Engine"):
        from cdktf_fix import engine

        return getattr(engine, name)
    if name == "Options":
        from cdktf_fix.engine.options import Options

        return Options
    if name == "load_index":
        from cdktf_fix.schema import load_index

        return load_index
    raise AttributeError(name)
