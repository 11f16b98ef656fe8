"""cdktf-fix: repairs model-generated CDKTF Python against the installed AWS provider schema.

    from cdktf_fix import repair_source
    result = repair_source(code)   # .new_source, .fixes, .findings, .status

    from cdktf_fix import repair_record
    repair_record(text).text       # one dataset record (Python or a markdown response): Ray, Spark, datasets.map
"""

__version__ = "0.1.0"
__all__ = ["__version__", "repair_source", "repair_record", "Engine", "Options", "load_index"]


def __getattr__(name: str):
    # imported on first use: ``cdktf-fix --version`` must not pay for libcst
    if name in ("repair_source", "Engine"):
        from cdktf_fix import engine

        return getattr(engine, name)
    if name == "Options":
        from cdktf_fix.engine.options import Options

        return Options
    if name == "repair_record":
        from cdktf_fix.datasets.records import repair_record

        return repair_record
    if name == "load_index":
        from cdktf_fix.schema import load_index

        return load_index
    raise AttributeError(name)
