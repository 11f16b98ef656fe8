"""cdktf_fix.schema.pins: what a project's manifests pin, read from one folder."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from cdktf_fix.schema import pins as pins_module
from cdktf_fix.schema.pins import MANIFESTS, FolderPins, Pin, has_manifest, poetry_specifier, read_pins

AWS = "cdktf-cdktf-provider-aws"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def specs(found: FolderPins) -> dict[str, tuple[str, str]]:
    return {name: (pin.specifier, pin.source) for name, pin in found.pins.items()}


# --- Pin.exact ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "specifier, exact",
    [
        ("==19.50.0", "19.50.0"),
        ("===weird-1", "weird-1"),
        ("==1.0+local", "1.0+local"),
        ("==1.2.*", None),
        (">=19,<20", None),
        ("==1.0,<2", None),
        ("~=1.2", None),
        ("", None),
        ("not a specifier", None),
    ],
)
def test_pin_exact(specifier, exact):
    assert Pin("cdktf", specifier, "requirements.txt").exact == exact


# --- lock files --------------------------------------------------------------------------------


def test_uv_lock(tmp_path):
    write(tmp_path, "uv.lock", 'version = 1\n[[package]]\nname = "cdktf"\nversion = "0.21.0"\n'
          '[[package]]\nname = "cdktf-cdktf-provider-aws"\nversion = "19.50.0"\n'
          '[[package]]\nname = "local-thing"\nsource = { virtual = "." }\n')
    found = read_pins(tmp_path)
    assert specs(found) == {"cdktf": ("==0.21.0", "uv.lock"), AWS: ("==19.50.0", "uv.lock"),
                            "local-thing": ("", "uv.lock")}
    assert found.pins[AWS].exact == "19.50.0"
    assert found.files == ["uv.lock"] and found.problems == []


def test_poetry_lock(tmp_path):
    write(tmp_path, "poetry.lock", '[[package]]\nname = "CDKTF"\nversion = "0.20.5"\noptional = false\n'
          '[metadata]\nlock-version = "2.0"\n')
    assert specs(read_pins(tmp_path)) == {"cdktf": ("==0.20.5", "poetry.lock")}


def test_lock_version_that_is_not_pep440_is_arbitrary_equality(tmp_path):
    write(tmp_path, "poetry.lock", '[[package]]\nname = "odd"\nversion = "dev-build"\n')
    pin = read_pins(tmp_path).pins["odd"]
    assert pin.specifier == "===dev-build" and pin.exact == "dev-build"


def test_pipfile_lock_prefers_default(tmp_path):
    lock = {"_meta": {"hash": {}},
            "default": {"cdktf": {"version": "==0.21.0", "hashes": ["sha256:aa"]}},
            "develop": {"cdktf": {"version": "==0.19.0"}, "cdktn": {"version": "==0.22.1"},
                        "from-git": {"git": "https://example.invalid/x.git"}}}
    write(tmp_path, "Pipfile.lock", json.dumps(lock))
    assert specs(read_pins(tmp_path)) == {"cdktf": ("==0.21.0", "Pipfile.lock"), "cdktn": ("==0.22.1", "Pipfile.lock"),
                                          "from-git": ("", "Pipfile.lock")}


def test_uv_lock_comes_before_poetry_lock(tmp_path):
    write(tmp_path, "poetry.lock", '[[package]]\nname = "cdktf"\nversion = "0.19.0"\n')
    write(tmp_path, "uv.lock", '[[package]]\nname = "cdktf"\nversion = "0.21.0"\n')
    found = read_pins(tmp_path)
    assert specs(found) == {"cdktf": ("==0.21.0", "uv.lock")}
    assert found.files == ["uv.lock", "poetry.lock"]


# --- pyproject.toml ----------------------------------------------------------------------------

PYPROJECT = """
[project]
name = "app"
dependencies = ["cdktf>=0.20,<0.22", "CDKTF_CDKTF_Provider.AWS[extra]==19.50.0", "old; python_version < '3'"]
[project.optional-dependencies]
random = ["cdktf-cdktf-provider-random~=11.0"]
[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}]
lint = ["ruff"]
"""


def test_pyproject_pep621_and_dependency_groups(tmp_path):
    write(tmp_path, "pyproject.toml", PYPROJECT)
    found = read_pins(tmp_path)
    assert specs(found) == {
        "cdktf": (">=0.20,<0.22", "pyproject.toml"),
        AWS: ("==19.50.0", "pyproject.toml"),
        "cdktf-cdktf-provider-random": ("~=11.0", "pyproject.toml"),
        "pytest": (">=8", "pyproject.toml"),
        "ruff": ("", "pyproject.toml"),
    }
    assert found.problems == []


def test_pyproject_poetry_tables(tmp_path):
    write(tmp_path, "pyproject.toml", """
[tool.poetry.dependencies]
python = "^3.11"
cdktf = "^0.20.1"
cdktf-cdktf-provider-aws = { version = "~19.50", optional = true }
from-git = { git = "https://example.invalid/x.git" }
split = [{ version = "<1", python = "<3.0" }, { version = "^2.1", python = ">=3.8" }]
never = { version = "1.0", markers = "python_version < '3'" }
[tool.poetry.group.test.dependencies]
pytest = "8.1.1"
[tool.poetry.dev-dependencies]
black = "*"
""")
    found = read_pins(tmp_path)
    assert specs(found) == {
        "cdktf": (">=0.20.1,<0.21.0", "pyproject.toml"),
        AWS: (">=19.50,<19.51", "pyproject.toml"),
        "from-git": ("", "pyproject.toml"),
        "split": (">=2.1,<3.0", "pyproject.toml"),
        "pytest": ("==8.1.1", "pyproject.toml"),
        "black": ("", "pyproject.toml"),
    }
    assert found.problems == []


@pytest.mark.parametrize(
    "constraint, pep440",
    [
        ("^1.2.3", ">=1.2.3,<2.0.0"),
        ("^0.2.3", ">=0.2.3,<0.3.0"),
        ("^0.0.3", ">=0.0.3,<0.0.4"),
        ("^1.2", ">=1.2,<2.0"),
        ("^0", ">=0,<1"),
        ("~1.2.3", ">=1.2.3,<1.3.0"),
        ("~1.2", ">=1.2,<1.3"),
        ("~1", ">=1,<2"),
        ("~=1.2", "~=1.2"),
        ("1.2.3", "==1.2.3"),
        ("=1.2.3", "==1.2.3"),
        ("*", ""),
        ("1.2.*", "==1.2.*"),
        (">=1.2,<2", ">=1.2,<2"),
        (">=1.2 <2", ">=1.2,<2"),
        (">= 1.2, < 2.0", ">=1.2,<2.0"),
        ("!=1.5, >=1", "!=1.5,>=1"),
    ],
)
def test_poetry_constraints(constraint, pep440):
    assert poetry_specifier(constraint) == pep440


@pytest.mark.parametrize(
    "constraint, message", [("^1.0 || ^2.0", "alternatives"), ("1.*.3", None), ("latest", None), (">=", None)]
)
def test_poetry_constraints_without_pep440_form(constraint, message):
    with pytest.raises(ValueError, match=message):
        poetry_specifier(constraint)


def test_poetry_alternatives_are_a_problem_and_no_pin(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.poetry.dependencies]\ncdktf = "^0.19 || ^0.20"\ncdktn = "^0.22"\n')
    found = read_pins(tmp_path)
    assert specs(found) == {"cdktn": (">=0.22,<0.23", "pyproject.toml")}
    assert len(found.problems) == 1 and "'^0.19 || ^0.20'" in found.problems[0]
    assert found.problems[0].startswith("pyproject.toml: ")


# --- Pipfile -----------------------------------------------------------------------------------


def test_pipfile(tmp_path):
    write(tmp_path, "Pipfile", '[packages]\ncdktf = "==0.21.0"\nanything = "*"\n'
          'cdktf-cdktf-provider-aws = { version = ">=19", extras = ["x"] }\n'
          'not-here = { version = "==1", markers = "python_version < \'3\'" }\n'
          '[dev-packages]\npytest = ">=8"\ncdktf = "<0.22"\n')
    assert specs(read_pins(tmp_path)) == {
        "cdktf": ("==0.21.0,<0.22", "Pipfile"),
        "anything": ("", "Pipfile"),
        AWS: (">=19", "Pipfile"),
        "pytest": (">=8", "Pipfile"),
    }


# --- requirements files ------------------------------------------------------------------------


def test_requirements_lines(tmp_path):
    write(tmp_path, "requirements.txt", """\
# pinned by hand
--index-url https://example.invalid/simple
-e ./vendored
-c constraints.txt
cdktf==0.21.0 --hash=sha256:aaaa \\
    --hash=sha256:bbbb
cdktf-cdktf-provider-aws>=19,\\
<20  # the provider
./local-package
git+https://example.invalid/x.git#egg=thing
dist/pkg-1.0-py3-none-any.whl
wheel_in_cwd-1.0-py3-none-any.whl
sdist-2.0.tar.gz
named @ https://example.invalid/named-1.0.tar.gz
cdktf-cdktf-provider-random == 11.0.1 ; python_version >= "3"
dropped==1.0 ; python_version < "3"
kept-unknown==2.0 ; extra == "docs"
""")
    write(tmp_path, "constraints.txt", "constrained==1\n")
    found = read_pins(tmp_path)
    assert specs(found) == {
        "cdktf": ("==0.21.0", "requirements.txt"),
        AWS: (">=19,<20", "requirements.txt"),
        "named": ("", "requirements.txt"),
        "cdktf-cdktf-provider-random": ("==11.0.1", "requirements.txt"),
        "kept-unknown": ("==2.0", "requirements.txt"),
    }
    assert found.problems == [] and found.files == ["requirements.txt"]


def test_comment_marker_only_after_whitespace(tmp_path):
    write(tmp_path, "requirements.txt", "# a comment line \\\ncdktf==0.21.0#not-a-comment\ncdktn==0.22.0 #comment\n")
    found = read_pins(tmp_path)
    assert specs(found) == {"cdktn": ("==0.22.0", "requirements.txt")}
    assert found.problems == ["requirements.txt:2: cannot parse 'cdktf==0.21.0#not-a-comment'"]


def test_unparseable_requirement_is_a_problem_and_reading_goes_on(tmp_path):
    write(tmp_path, "requirements.txt", "cdktf==0.21.0\n\nfoo===\nbar>=>1\ncdktn==0.22.0\n")
    found = read_pins(tmp_path)
    assert set(found.pins) == {"cdktf", "cdktn"}
    assert found.problems == ["requirements.txt:3: cannot parse 'foo==='", "requirements.txt:4: cannot parse 'bar>=>1'"]


def test_requirements_file_order_and_sources(tmp_path):
    write(tmp_path, "requirements/prod.txt", "cdktn==0.22.0\na==1\n")
    write(tmp_path, "requirements/ci.txt", "ci==1\n")
    write(tmp_path, "requirements-dev.txt", "a==2\nb==2\n")
    write(tmp_path, "requirements.txt", "b==3\n")
    write(tmp_path, "requirements-aaa.txt", "c==4\n")
    extra = [f"requirements-{letter}.txt" for letter in "qzmhxbtk"]  # so that a lucky unsorted glob is unlikely
    for name in extra:
        write(tmp_path, name, "")
    found = read_pins(tmp_path)
    top = sorted(["requirements-aaa.txt", "requirements-dev.txt", *extra])
    assert found.files == ["requirements.txt", *top, "requirements/ci.txt", "requirements/prod.txt"]
    assert specs(found) == {"b": ("==3", "requirements.txt"), "c": ("==4", "requirements-aaa.txt"),
                            "a": ("==2", "requirements-dev.txt"), "cdktn": ("==0.22.0", "requirements/prod.txt"),
                            "ci": ("==1", "requirements/ci.txt")}


def test_includes_are_relative_to_the_including_file(tmp_path):
    write(tmp_path, "requirements.txt", "-r requirements/prod.txt\n")
    write(tmp_path, "requirements/prod.txt", "--requirement=base.txt\ncdktf>=0.20\n")
    write(tmp_path, "requirements/base.txt", f"{AWS}==19.50.0\n")
    found = read_pins(tmp_path)
    assert specs(found) == {"cdktf": (">=0.20", "requirements/prod.txt"), AWS: ("==19.50.0", "requirements/base.txt")}
    # each file read once, although the glob of requirements/*.txt finds them again
    assert found.files == ["requirements.txt", "requirements/prod.txt", "requirements/base.txt"]
    assert found.problems == []


def test_include_cycle_and_missing_include(tmp_path):
    write(tmp_path, "requirements.txt", "-r requirements-a.txt\ncdktf==0.21.0\n")
    write(tmp_path, "requirements-a.txt", "-rrequirements.txt\n-r missing.txt\ncdktn==0.22.0\n")
    found = read_pins(tmp_path)
    assert specs(found) == {"cdktf": ("==0.21.0", "requirements.txt"), "cdktn": ("==0.22.0", "requirements-a.txt")}
    assert found.files == ["requirements.txt", "requirements-a.txt"]
    assert found.problems == ["requirements-a.txt:1: include cycle through 'requirements.txt', skipped",
                              "requirements-a.txt:2: cannot read included 'missing.txt'"]


def test_self_include_is_a_cycle(tmp_path):
    write(tmp_path, "requirements.txt", "-r ./requirements.txt\ncdktf==1\n")
    found = read_pins(tmp_path)
    assert set(found.pins) == {"cdktf"} and len(found.problems) == 1 and "cycle" in found.problems[0]


def test_include_outside_the_folder_is_followed(tmp_path):
    write(tmp_path, "shared.txt", "cdktf==0.21.0\n")
    write(tmp_path, "app/requirements.txt", "-r ../shared.txt\n")
    assert specs(read_pins(tmp_path / "app")) == {"cdktf": ("==0.21.0", os.path.join("..", "shared.txt"))}


# --- precedence, combining, names, filtering ---------------------------------------------------


def test_lock_exact_beats_manifest_range(tmp_path):
    write(tmp_path, "requirements.txt", f"{AWS}>=19\ncdktf>=0.20\n")
    write(tmp_path, "pyproject.toml", f'[project]\ndependencies = ["{AWS}>=19,<20"]\n')
    write(tmp_path, "poetry.lock", f'[[package]]\nname = "{AWS}"\nversion = "19.50.0"\n')
    found = read_pins(tmp_path)
    assert specs(found) == {AWS: ("==19.50.0", "poetry.lock"), "cdktf": (">=0.20", "requirements.txt")}
    assert found.files == ["poetry.lock", "pyproject.toml", "requirements.txt"]


def test_exact_beats_range_beats_bare_name_then_order(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\ndependencies = ["cdktf>=0.20", "cdktn", "x==1"]\n')
    write(tmp_path, "Pipfile", '[packages]\ncdktn = ">=0.22"\nx = "==2"\n')
    write(tmp_path, "requirements.txt", "cdktf==0.21.0\ncdktn\nx==3\n")
    assert specs(read_pins(tmp_path)) == {"cdktf": ("==0.21.0", "requirements.txt"),
                                          "cdktn": (">=0.22", "Pipfile"), "x": ("==1", "pyproject.toml")}


def test_duplicates_in_one_source_are_combined(tmp_path):
    write(tmp_path, "requirements.txt", "cdktf>=0.20\nCDKTF<0.22\ncdktn==0.22.0\ncdktn==0.22.0\n")
    write(tmp_path, "pyproject.toml", '[project]\ndependencies = ["a>=1"]\n[dependency-groups]\ndev = ["A!=1.5"]\n')
    found = read_pins(tmp_path)
    assert specs(found) == {"cdktf": (">=0.20,<0.22", "requirements.txt"), "cdktn": ("==0.22.0", "requirements.txt"),
                            "a": (">=1,!=1.5", "pyproject.toml")}
    assert found.pins["cdktn"].exact == "0.22.0"


@pytest.mark.parametrize(
    "written", ["cdktf_cdktf_provider_aws", "CDKTF-CDKTF-Provider-AWS", "Cdktf.cdktf-Provider_aws"]
)
def test_names_are_canonical(tmp_path, written):
    write(tmp_path, "requirements.txt", f"{written}[extra]==19.50.0\n")
    assert read_pins(tmp_path).pins[AWS] == Pin(AWS, "==19.50.0", "requirements.txt")


def test_wanted_filters_by_canonical_name(tmp_path):
    write(tmp_path, "requirements.txt", "CDKTF==0.21.0\nCdktn_Provider_AWS==1.0\nrequests==2.0\n")
    asked = []

    def wanted(name: str) -> bool:
        asked.append(name)
        return name.startswith(("cdktf", "cdktn"))

    found = read_pins(tmp_path, wanted)
    assert set(found.pins) == {"cdktf", "cdktn-provider-aws"}
    assert sorted(asked) == ["cdktf", "cdktn-provider-aws", "requests"]


# --- broken files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, text, problem",
    [
        ("uv.lock", "[[package]\nname = 1\n", "uv.lock: cannot parse TOML (line 1)"),
        ("poetry.lock", 'a = "x"\nb = \n', "poetry.lock: cannot parse TOML (line 2)"),
        ("pyproject.toml", "[project]\ndependencies = [\n", "pyproject.toml: cannot parse TOML"),
        ("Pipfile", "[packages]\ncdktf = \n", "Pipfile: cannot parse TOML (line 2)"),
        ("Pipfile.lock", '{"default": {\n"cdktf": }', "Pipfile.lock: cannot parse JSON (line 2)"),
        ("Pipfile.lock", "[1, 2]", "Pipfile.lock: expected a table at the top, found list"),
        ("Pipfile.lock", "[" * 100_000, "Pipfile.lock: cannot parse"),
        ("Pipfile.lock", '{"default": []}', "Pipfile.lock: default is not a table"),
        ("Pipfile.lock", '{"default": {"cdktf": {"version": 1}}}', "Pipfile.lock: default: entry 'cdktf' has no"),
        ("uv.lock", 'package = "cdktf"\n', "uv.lock: package is not a list"),
        ("uv.lock", '[[package]]\nname = "cdktf"\nversion = 1\n', "uv.lock: [[package]] entry without a usable name"),
        ("pyproject.toml", 'project = ["x"]\n', "pyproject.toml: [project] is not a table"),
        ("pyproject.toml", '[project]\ndependencies = "x"\n', "pyproject.toml: [project] dependencies is not a list"),
        ("pyproject.toml", "[project]\ndependencies = [3]\n", "pyproject.toml: [project] dependencies: expected"),
        ("pyproject.toml", '[dependency-groups]\ndev = "x"\n', "pyproject.toml: [dependency-groups] dev is not a list"),
        ("pyproject.toml", '[project]\ndependencies = ["foo==="]\n', "pyproject.toml: cannot parse 'foo==='"),
        ("pyproject.toml", "[tool.poetry.dependencies]\nx = 1\n", "pyproject.toml: [tool.poetry.dependencies]: 'x'"),
        ("pyproject.toml", "[tool.poetry]\ngroup = 3\n", "pyproject.toml: [tool.poetry.group] is not a table"),
        ("pyproject.toml", "[tool.poetry.group.g.dependencies]\nx = 1\n", "pyproject.toml: [tool.poetry.group.g.dep"),
        ("pyproject.toml", "[tool.poetry.group]\ndev = 3\n", "pyproject.toml: [tool.poetry.group.dev] is not a table"),
        ("pyproject.toml", "[tool.poetry]\ndependencies = []\n", "pyproject.toml: [tool.poetry.dependencies] is not"),
        ("Pipfile", "packages = 3\n", "Pipfile: [packages] is not a table"),
        ("Pipfile", '[packages]\ncdktf = "0.21"\n', "Pipfile: [packages]: cannot parse version '0.21' for 'cdktf'"),
        ("requirements.txt", b"cdktf==0.21.0\n\xff\xfe\n", "requirements.txt: not UTF-8"),
        ("pyproject.toml", b"\xc3\x28", "pyproject.toml: not UTF-8"),
    ],
)
def test_broken_files_give_problems(tmp_path, name, text, problem):
    write(tmp_path, name, text)
    write(tmp_path, "requirements-ok.txt", "fine==1.0\n")
    found = read_pins(tmp_path)
    assert len(found.problems) == 1 and found.problems[0].startswith(problem), found.problems
    assert found.pins["fine"] == Pin("fine", "==1.0", "requirements-ok.txt")
    assert name in found.files


def test_pathological_requirement_is_a_problem(tmp_path):
    nested = "(" * 3000 + 'python_version > "3"' + ")" * 3000
    write(tmp_path, "requirements.txt", f"deep; {nested}\ncdktf==0.21.0\n")
    found = read_pins(tmp_path)
    assert set(found.pins) == {"cdktf"}
    assert len(found.problems) == 1 and found.problems[0].startswith("requirements.txt:1: cannot parse 'deep; ((")


def test_wrong_shape_that_no_check_foresaw_is_a_problem(tmp_path, monkeypatch):
    def broken(data, file):
        raise TypeError("unforeseen")

    monkeypatch.setattr(pins_module, "_pipfile", broken)
    write(tmp_path, "Pipfile", '[packages]\ncdktf = "*"\n')
    assert read_pins(tmp_path).problems == ["Pipfile: unexpected structure (TypeError), skipped"]


def test_large_file_is_skipped(tmp_path):
    write(tmp_path, "requirements.txt", "cdktf==0.21.0\n" + "#" * (5 * 1024 * 1024))
    found = read_pins(tmp_path)
    assert found.pins == {} and found.problems == ["requirements.txt: larger than 5 MB, skipped"]


def test_unreadable_file_is_a_problem(tmp_path, monkeypatch):
    write(tmp_path, "uv.lock", '[[package]]\nname = "cdktf"\nversion = "0.21.0"\n')

    def refuse(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(pins_module, "open", refuse, raising=False)
    found = read_pins(tmp_path)
    assert found.pins == {} and found.problems == ["uv.lock: cannot read (Permission denied)"]


def test_byte_order_mark_is_accepted(tmp_path):
    write(tmp_path, "pyproject.toml", '\ufeff[project]\ndependencies = ["cdktf==0.21.0"]\n')
    assert read_pins(tmp_path).pins["cdktf"].exact == "0.21.0"


# --- files on disk -----------------------------------------------------------------------------


def test_symlinked_manifests_are_read(tmp_path):
    write(tmp_path, "elsewhere/reqs.txt", "cdktf==0.21.0\n")
    write(tmp_path, "elsewhere/lock", '[[package]]\nname = "cdktn"\nversion = "0.22.0"\n')
    app = tmp_path / "app"
    app.mkdir()
    (app / "requirements.txt").symlink_to(tmp_path / "elsewhere/reqs.txt")
    (app / "uv.lock").symlink_to(tmp_path / "elsewhere/lock")
    (app / "requirements-loop.txt").symlink_to(app / "requirements-loop.txt")
    found = read_pins(app)
    assert specs(found) == {"cdktf": ("==0.21.0", "requirements.txt"), "cdktn": ("==0.22.0", "uv.lock")}
    assert found.problems == []


def test_nothing_is_written(tmp_path):
    write(tmp_path, "requirements.txt", "-r requirements-dev.txt\ncdktf==1\n")
    write(tmp_path, "requirements-dev.txt", "x==1\n")
    write(tmp_path, "pyproject.toml", "[project]\n")
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    read_pins(tmp_path)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


def test_has_manifest(tmp_path):
    assert not has_manifest(tmp_path)
    assert not has_manifest(tmp_path / "missing")
    write(tmp_path, "README.md", "x")
    (tmp_path / "pyproject.toml").mkdir()
    assert not has_manifest(tmp_path)
    for name in ["requirements-dev.txt", "requirements/prod.txt", "Pipfile", "uv.lock", "requirements.txt"]:
        folder = tmp_path / name.replace("/", "_")
        write(folder, name, "")
        assert has_manifest(folder), name
    assert "Pipfile.lock" in MANIFESTS and "pyproject.toml" in MANIFESTS


def test_empty_folder(tmp_path):
    assert read_pins(tmp_path) == FolderPins({}, [], [])
