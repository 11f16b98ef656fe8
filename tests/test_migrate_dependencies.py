"""cdktf_fix.migrate.dependencies: the edits that move a project's dependency files to CDK Terrain."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cdktf_fix.migrate.dependencies import DependencyPlan, map_poetry, map_specifier, plan_dependencies, renamed
from cdktf_fix.schema.pins import read_pins

VERSIONS = {"cdktn": "0.24.0", "cdktn-provider-aws": "25.8.1", "cdktn-provider-null": "11.0.0",
            "cdktn-provider-google": "16.0.0", "cdktn-provider-random": "12.1.0"}


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def plan(folder: Path, versions: dict[str, str] = VERSIONS) -> DependencyPlan:
    return plan_dependencies(folder, versions.get)


def apply(folder: Path, versions: dict[str, str] = VERSIONS) -> DependencyPlan:
    """Plan, check there are no problems, write the edits, and check a second plan is empty."""
    result = plan(folder, versions)
    assert result.problems == []
    for path, text in result.edits.items():
        path.write_bytes(text.encode("utf-8"))
    again = plan(folder, versions)
    assert again.edits == {} and again.changes == [] and again.problems == []
    return result


# --- names and the specifier mapping ------------------------------------------------------------


@pytest.mark.parametrize("old, new", [
    ("cdktf", "cdktn"), ("CDKTF", "cdktn"), ("cdktf-cdktf-provider-aws", "cdktn-provider-aws"),
    ("CDKTF_CDKTF_Provider.AWS", "cdktn-provider-aws"), ("cdktf-cli", None), ("cdktf-local-exec", None),
    ("cdktf-cdktf-provider-", None), ("cdktn", None), ("cdktn-provider-aws", None), ("constructs", None),
])
def test_renamed(old, new):
    assert renamed(old) == new


@pytest.mark.parametrize("spec, target, mapped", [
    ("", "0.24.0", ""),
    ("*", "0.24.0", "*"),
    ("==0.20.0", "0.24.0", "==0.24.0"),
    ("== 0.21.0", "0.24.0", "==0.24.0"),
    ("==0.20.*", "0.24.0", "==0.24.*"),
    ("==19.*", "25.8.1", "==25.*"),
    (">=0.21", "0.24.0", ">=0.24.0"),
    (">0.19", "0.24.0", ">=0.24.0"),
    ("~=0.20", "0.24.0", "~=0.24.0"),
    ("~=19.50.0", "25.8.1", "~=25.8.1"),
    (">=0.20,<0.21", "0.24.0", ">=0.24.0,<0.25.0"),
    (">= 19, < 20", "25.8.1", ">=25.8.1,<26.0.0"),
    ("<0.21", "0.24.0", "<0.25.0"),
    ("<=20", "25.8.1", "<26.0.0"),
    ("~=0.20,<0.20.5", "0.24.0", ">=0.24.0,<0.25.0"),
    (">=1.0", "0.24.0rc1", ">=0.24.0rc1"),
])
def test_map_specifier(spec, target, mapped):
    assert map_specifier(spec, target) == mapped


@pytest.mark.parametrize("spec, reason", [
    ("!=0.20.1", "!="),
    (">=0.20,!=0.20.1", "!="),
    ("===0.20.0", "==="),
    ("==0.20.0,>=0.19", "exact pin mixed"),
    ("not a version", "not a version specifier"),
])
def test_map_specifier_refuses(spec, reason):
    with pytest.raises(ValueError, match=reason):
        map_specifier(spec, "0.24.0")


@pytest.mark.parametrize("constraint, target, mapped", [
    ("^0.20", "0.24.0", "^0.24.0"),
    ("^19.50.0", "25.8.1", "^25.8.1"),
    ("~0.20.1", "0.24.0", "~0.24.0"),
    ("~=0.20", "0.24.0", "~=0.24.0"),
    ("0.20.0", "0.24.0", "0.24.0"),
    ("=0.20.0", "0.24.0", "=0.24.0"),
    ("==0.20.0", "0.24.0", "==0.24.0"),
    ("*", "0.24.0", "*"),
    (">=0.20,<0.21", "0.24.0", ">=0.24.0,<0.25.0"),
    (">= 0.20 < 0.21", "0.24.0", ">=0.24.0,<0.25.0"),
    (">=19", "25.8.1", ">=25.8.1"),
    ("0.20.*", "0.24.0", "==0.24.*"),
])
def test_map_poetry(constraint, target, mapped):
    assert map_poetry(constraint, target) == mapped


@pytest.mark.parametrize("constraint", ["^0.20 || ^0.21", "!=0.20.1", ">=0.20,!=0.20.1"])
def test_map_poetry_refuses(constraint):
    with pytest.raises(ValueError):
        map_poetry(constraint, "0.24.0")


# --- requirements files -------------------------------------------------------------------------


def test_requirements_crlf_comments_markers_extras(tmp_path):
    text = ("# infrastructure\r\n"
            "cdktf>=0.21  # the framework\r\n"
            "\r\n"
            'CDKTF_CDKTF_Provider_AWS[extra] ~= 19.0 ; python_version >= "3.9"\r\n'
            "constructs>=10.0,<11   # untouched\r\n"
            "cdktf-local-exec==1.0\r\n"
            "cdktf-cdktf-provider-null (>=9,<10)\r\n"
            "cdktf-cdktf-provider-random\r\n"
            "--index-url https://pypi.org/simple\r\n"
            "pytest\\\r\n"
            "  >=8\r\n")
    path = write(tmp_path, "requirements.txt", text)
    result = apply(tmp_path)
    new = path.read_bytes().decode()
    assert new == ("# infrastructure\r\n"
                   "cdktn>=0.24.0  # the framework\r\n"
                   "\r\n"
                   'cdktn-provider-aws[extra] ~=25.8.1 ; python_version >= "3.9"\r\n'
                   "constructs>=10.0,<11   # untouched\r\n"
                   "cdktf-local-exec==1.0\r\n"
                   "cdktn-provider-null (>=11.0.0,<12.0.0)\r\n"
                   "cdktn-provider-random\r\n"
                   "--index-url https://pypi.org/simple\r\n"
                   "pytest\\\r\n"
                   "  >=8\r\n")
    assert result.changes == [
        "requirements.txt:2: cdktf>=0.21 -> cdktn>=0.24.0",
        "requirements.txt:4: CDKTF_CDKTF_Provider_AWS[extra] ~= 19.0 -> cdktn-provider-aws[extra] ~=25.8.1",
        "requirements.txt:7: cdktf-cdktf-provider-null (>=9,<10) -> cdktn-provider-null (>=11.0.0,<12.0.0)",
        "requirements.txt:8: cdktf-cdktf-provider-random -> cdktn-provider-random",
    ]
    assert result.relock == []
    # what pins.py reads afterwards: the new names, and only them
    pins = read_pins(tmp_path).pins
    assert pins["cdktn"].specifier == ">=0.24.0" and "cdktf" not in pins
    assert pins["cdktn-provider-aws"].specifier == "~=25.8.1"


def test_requirements_untouched_lines_are_byte_identical(tmp_path):
    lines = ["\ufeffboto3==1.34.0\n", "cdktf==0.20.0\n", "  # indented comment with cdktf in it\n",
             "requests [socks] >= 2 ; sys_platform == 'linux'\t# tab\n", "cdktf-cli\n", "last-line-no-newline"]
    path = write(tmp_path, "requirements.txt", "".join(lines))
    apply(tmp_path)
    new = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert new[1] == "cdktn==0.24.0\n"
    assert [line for i, line in enumerate(new) if i != 1] == [line for i, line in enumerate(lines) if i != 1]


def test_requirements_includes_and_other_files(tmp_path):
    write(tmp_path, "requirements.txt", "-r requirements/base.txt\n--requirement=requirements-dev.txt\n")
    base = write(tmp_path, "requirements/base.txt", "cdktf==0.20.0\n-r ../shared.txt\n")
    shared = write(tmp_path, "shared.txt", "cdktf-cdktf-provider-aws==19.50.0\n")
    dev = write(tmp_path, "requirements-dev.txt", "pytest\n")
    result = apply(tmp_path)
    assert set(result.edits) == {base, shared}
    assert base.read_text() == "cdktn==0.24.0\n-r ../shared.txt\n"
    assert shared.read_text() == "cdktn-provider-aws==25.8.1\n"
    assert dev.read_text() == "pytest\n"


def test_included_file_outside_the_project_is_a_problem(tmp_path):
    project = tmp_path / "project"
    write(project, "requirements.txt", "cdktf==0.20.0\n-r ../shared.txt\n")
    write(tmp_path, "shared.txt", "cdktf-cdktf-provider-aws==19.50.0\n")
    result = plan(project)
    assert list(result.edits) == [project / "requirements.txt"]
    assert result.problems == ["../shared.txt: outside the project, names cdktf: edit it by hand"]


@pytest.mark.parametrize("line, problem", [
    ("cdktf==0.20.0 --hash=sha256:abcd", "requirements.txt:1: cdktf==0.20.0 is pinned with --hash: re-lock requirements.txt instead"),
    ("cdktf!=0.20.1", "requirements.txt:1: cannot migrate 'cdktf!=0.20.1': != has no equivalent in the new package"),
    ("cdktf===0.20.0", "requirements.txt:1: cannot migrate 'cdktf===0.20.0': === has no equivalent in the new package"),
    ("cdktf @ git+https://github.com/hashicorp/terraform-cdk@v0.20.0#subdirectory=packages/cdktf",
     "requirements.txt:1: cannot migrate 'cdktf @ git+https://github.com/hashicorp/terraform-cdk@v0.20.0#subdirectory="
     "packages/cdktf' (a URL, path or unreadable requirement naming cdktf): edit it by hand"),
    ("git+https://github.com/x/y.git#egg=cdktf-cdktf-provider-aws", "(a URL, path or unreadable requirement naming cdktf)"),
    ("./wheels/cdktf-0.20.0-py3-none-any.whl", "(a URL, path or unreadable requirement naming cdktf)"),
    ("-e ../cdktf-constructs", "requirements.txt:1: cannot migrate an editable install naming cdktf: edit it by hand"),
    ("cdktf-cdktf-provider-foo>=1", "requirements.txt:1: cdktf-cdktf-provider-foo has no CDK Terrain package (cdktn-provider-foo)"),
])
def test_requirement_problems(tmp_path, line, problem):
    write(tmp_path, "requirements.txt", f"constructs\n{line}\n".replace("constructs\n", "", 1))
    result = plan(tmp_path)
    assert len(result.problems) == 1 and problem in result.problems[0]


def test_hashes_on_continuation_lines(tmp_path):
    write(tmp_path, "requirements.txt", "cdktf==0.20.0 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\nboto3==1.0\n")
    result = plan(tmp_path)
    assert result.edits == {}
    assert result.problems == ["requirements.txt:1: cdktf==0.20.0 is pinned with --hash: re-lock requirements.txt instead"]


def test_requirement_continued_over_lines_is_a_problem(tmp_path):
    write(tmp_path, "requirements.txt", "cdktf>=0.20,\\\n<0.21\n")
    assert plan(tmp_path).problems == ["requirements.txt:1: a requirement continued over several lines: edit it by hand"]


def test_undecodable_file_is_one_problem(tmp_path):
    write(tmp_path, "requirements.txt", b"cdktf==0.20.0\n\xff\xfe\n")
    assert plan(tmp_path).problems == ["requirements.txt: not UTF-8"]


# --- pyproject.toml -----------------------------------------------------------------------------

PEP621 = '''\
[build-system]
requires = ["setuptools>=68"]

[project]
name = "infra"  # the app
dependencies = [
    "cdktf>=0.20,<0.21",  # the framework
    'CDKTF-CDKTF-Provider-AWS[extra] ~= 19.0; python_version >= "3.9"',
    "constructs>=10",
    "cdktf-cdktf-provider-random"
]

[project.optional-dependencies]
null = ["cdktf-cdktf-provider-null==9.0.0"]

[dependency-groups]
dev = ["pytest>=8", {include-group = "lint"}, "cdktf==0.20.0"]
lint = ["ruff"]

[tool.cdktf-fix]
target = ["cdktf"]
'''


def test_pyproject_pep621_and_groups(tmp_path):
    path = write(tmp_path, "pyproject.toml", PEP621)
    result = apply(tmp_path)
    assert path.read_text() == PEP621.replace(
        '"cdktf>=0.20,<0.21"', '"cdktn>=0.24.0,<0.25.0"').replace(
        "'CDKTF-CDKTF-Provider-AWS[extra] ~= 19.0;", "'cdktn-provider-aws[extra] ~=25.8.1;").replace(
        '"cdktf-cdktf-provider-random"', '"cdktn-provider-random"').replace(
        '"cdktf-cdktf-provider-null==9.0.0"', '"cdktn-provider-null==11.0.0"').replace(
        '"cdktf==0.20.0"]', '"cdktn==0.24.0"]')
    assert '[tool.cdktf-fix]\ntarget = ["cdktf"]' in path.read_text()  # not a dependency table
    assert result.changes == [
        "pyproject.toml [project] dependencies: cdktf>=0.20,<0.21 -> cdktn>=0.24.0,<0.25.0",
        "pyproject.toml [project] dependencies: CDKTF-CDKTF-Provider-AWS[extra] ~= 19.0 -> cdktn-provider-aws[extra] ~=25.8.1",
        "pyproject.toml [project] dependencies: cdktf-cdktf-provider-random -> cdktn-provider-random",
        "pyproject.toml [project.optional-dependencies] null: cdktf-cdktf-provider-null==9.0.0 -> cdktn-provider-null==11.0.0",
        "pyproject.toml [dependency-groups] dev: cdktf==0.20.0 -> cdktn==0.24.0",
    ]


POETRY = '''\
[tool.poetry]
name = "infra"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
# the framework
"cdktf" = "^0.20"  # pinned by the template
cdktf-cdktf-provider-aws = { version = "~19.50", extras = ["x"], optional = true }  # inline
constructs = "*"
cdktf_cdktf_provider_random='>=11,<12'

[tool.ruff]
line-length = 120

[tool.poetry.group.dev.dependencies]
cdktf = "*"
pytest = "^8"

[tool.poetry.dev-dependencies]
cdktf-cdktf-provider-null = "9.0.0"

[tool.poetry.dependencies.cdktf-cdktf-provider-google]
version = "^10.1"  # google
optional = true
'''

POETRY_MIGRATED = '''\
[tool.poetry]
name = "infra"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.11"
# the framework
"cdktn" = "^0.24.0"  # pinned by the template
cdktn-provider-aws = { version = "~25.8.1", extras = ["x"], optional = true }  # inline
constructs = "*"
cdktn-provider-random='>=12.1.0,<13.0.0'

[tool.ruff]
line-length = 120

[tool.poetry.group.dev.dependencies]
cdktn = "*"
pytest = "^8"

[tool.poetry.dev-dependencies]
cdktn-provider-null = "11.0.0"

[tool.poetry.dependencies.cdktn-provider-google]
version = "^16.0.0"  # google
optional = true
'''


def test_pyproject_poetry(tmp_path):
    path = write(tmp_path, "pyproject.toml", POETRY)
    result = apply(tmp_path)
    assert path.read_text() == POETRY_MIGRATED
    assert result.changes == [
        "pyproject.toml [tool.poetry.dependencies]: cdktf ^0.20 -> cdktn ^0.24.0",
        "pyproject.toml [tool.poetry.dependencies]: cdktf-cdktf-provider-aws ~19.50 -> cdktn-provider-aws ~25.8.1",
        "pyproject.toml [tool.poetry.dependencies]: cdktf_cdktf_provider_random >=11,<12 -> cdktn-provider-random >=12.1.0,<13.0.0",
        "pyproject.toml [tool.poetry.group.dev.dependencies]: cdktf * -> cdktn *",
        "pyproject.toml [tool.poetry.dev-dependencies]: cdktf-cdktf-provider-null 9.0.0 -> cdktn-provider-null 11.0.0",
        "pyproject.toml [tool.poetry.dependencies]: cdktf-cdktf-provider-google ^10.1 -> cdktn-provider-google ^16.0.0",
    ]
    pins = read_pins(tmp_path).pins
    assert pins["cdktn"].specifier == ">=0.24.0,<0.25.0" and "cdktf" not in pins


def test_pyproject_poetry_inline_dependencies_table(tmp_path):
    path = write(tmp_path, "pyproject.toml", '[tool.poetry]\ndependencies = { python = "^3.11", cdktf = "^0.20" }\n')
    apply(tmp_path)
    assert path.read_text() == '[tool.poetry]\ndependencies = { python = "^3.11", cdktn = "^0.24.0" }\n'


def test_pyproject_crlf_and_bom_kept(tmp_path):
    path = write(tmp_path, "pyproject.toml", '\ufeff[project]\r\nname = "x"\r\ndependencies = ["cdktf==0.20.0"]\r\n')
    apply(tmp_path)
    assert path.read_bytes() == '\ufeff[project]\r\nname = "x"\r\ndependencies = ["cdktn==0.24.0"]\r\n'.encode()


@pytest.mark.parametrize("text, problem", [
    ('[tool.poetry.dependencies]\ncdktf = { git = "https://github.com/hashicorp/terraform-cdk.git" }\n',
     "cannot migrate cdktf installed from a git source"),
    ('[tool.poetry.dependencies]\ncdktf = { path = "../cdktf" }\n', "installed from a path source"),
    ('[tool.poetry.dependencies]\ncdktf = "^0.20 || ^0.21"\n', "alternatives (||) cannot be moved"),
    ('[tool.poetry.dependencies]\ncdktf = [{ version = "^0.20", python = "<3.12" }, { version = "^0.21", python = ">=3.12" }]\n',
     "several constraints"),
    ('[tool.poetry.dependencies]\ncdktf = "^0.20"\ncdktn = "^0.24"\n', "cannot migrate cdktf listed beside cdktn: remove one"),
    ('[project]\ndependencies = ["cdktf!=0.20.1"]\n', "pyproject.toml [project] dependencies: cannot migrate 'cdktf!=0.20.1'"),
    ('[project]\ndependencies = ["cdktf @ https://example.invalid/cdktf-0.20.0.tar.gz"]\n', "(a URL, path or unreadable"),
    ('[project]\ndependencies = ["cdktf-cdktf-provider-foo"]\n', "cdktf-cdktf-provider-foo has no CDK Terrain package (cdktn-provider-foo)"),
    ('[project\ndependencies = ["cdktf"]\n', "pyproject.toml: cannot parse TOML (line 1)"),
    ('[project]\ndependencies = ["cdktf"]\ndependencies = []\n', "pyproject.toml: cannot parse TOML (line 3)"),
])
def test_pyproject_problems(tmp_path, text, problem):
    path = write(tmp_path, "pyproject.toml", text)
    result = plan(tmp_path)
    assert len(result.problems) == 1 and problem in result.problems[0], result.problems
    assert path not in result.edits


@pytest.mark.parametrize("text, migrated", [
    ('tool.poetry.dependencies.cdktf = "^0.20"  # dotted\n', 'tool.poetry.dependencies.cdktn = "^0.24.0"  # dotted\n'),
    ('[tool.poetry]\ndependencies.cdktf = "^0.20"\ndependencies.python = "^3.11"\n',
     '[tool.poetry]\ndependencies.cdktn = "^0.24.0"\ndependencies.python = "^3.11"\n'),
    ('[project]\ndependencies = [\n  # framework\n  """cdktf>=0.20""",\n  \'\'\'cdktf-cdktf-provider-aws\'\'\', # x\n]\n',
     '[project]\ndependencies = [\n  # framework\n  """cdktn>=0.24.0""",\n  \'\'\'cdktn-provider-aws\'\'\', # x\n]\n'),
    ('[project]\ndependencies = ["cdktf>=0.20; python_version >= \\"3.9\\""]\n',
     '[project]\ndependencies = ["cdktn>=0.24.0; python_version >= \\"3.9\\""]\n'),
    ('[tool.poetry.dependencies]\ncdktf = {version="^0.20"}\n[tool.other]\nx=1\n'
     '[tool.poetry.dependencies.cdktf-cdktf-provider-aws]\nversion="^19"\n[tool.poetry.dependencies.cdktf-cdktf-provider-aws.extra]\nx=1\n',
     '[tool.poetry.dependencies]\ncdktn = {version="^0.24.0"}\n[tool.other]\nx=1\n'
     '[tool.poetry.dependencies.cdktn-provider-aws]\nversion="^25.8.1"\n[tool.poetry.dependencies.cdktn-provider-aws.extra]\nx=1\n'),
])
def test_pyproject_layouts(tmp_path, text, migrated):
    path = write(tmp_path, "pyproject.toml", text)
    apply(tmp_path)
    assert path.read_text() == migrated


def test_poetry_dotted_dependency_is_a_problem(tmp_path):
    write(tmp_path, "pyproject.toml", '[tool.poetry.dependencies]\ncdktf.version = "^0.20"\ncdktf.optional = true\n')
    assert plan(tmp_path).problems == ["pyproject.toml [tool.poetry.dependencies]: cannot migrate cdktf "
                                       "(a dotted key, or several constraints): edit it by hand"]


@pytest.mark.parametrize("dumped, problem", [
    (lambda text: text.replace('name = "x"', 'name="x"'), "pyproject.toml: tomlkit would change lines that hold no edit"),
    (lambda text: text + "[project]\n", "pyproject.toml: the edited file would not parse"),
    (lambda text: 1 / 0, "pyproject.toml: tomlkit cannot edit it (ZeroDivisionError)"),
])
def test_tomlkit_output_is_checked(tmp_path, monkeypatch, dumped, problem):
    from cdktf_fix.migrate import dependencies

    real = dependencies.tomlkit.dumps
    monkeypatch.setattr(dependencies.tomlkit, "dumps", lambda document: dumped(real(document)))
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\ndependencies = ["cdktf"]\n')
    result = plan(tmp_path)
    assert result.edits == {} and len(result.problems) == 1 and result.problems[0].startswith(problem)


# --- Pipfile ------------------------------------------------------------------------------------

PIPFILE = '''\
[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
# the framework
cdktf = "==0.20.0"
"cdktf-cdktf-provider-aws" = {version = ">=19,<20", markers = "python_version >= '3.9'"}
constructs = "*"

[dev-packages]
cdktf_cdktf_provider_null = "*"  # tests only

[requires]
python_version = "3.11"
'''


def test_pipfile(tmp_path):
    path = write(tmp_path, "Pipfile", PIPFILE)
    write(tmp_path, "Pipfile.lock", '{"default": {"cdktf": {"version": "==0.20.0"}}}')
    result = apply(tmp_path)
    assert path.read_text() == PIPFILE.replace('cdktf = "==0.20.0"', 'cdktn = "==0.24.0"').replace(
        '"cdktf-cdktf-provider-aws" = {version = ">=19,<20"', '"cdktn-provider-aws" = {version = ">=25.8.1,<26.0.0"').replace(
        'cdktf_cdktf_provider_null = "*"', 'cdktn-provider-null = "*"')
    assert result.relock == [tmp_path / "Pipfile.lock"]
    assert len(result.changes) == 3


def test_pipfile_git_source_is_a_problem(tmp_path):
    write(tmp_path, "Pipfile", '[packages]\ncdktf = {git = "https://github.com/x/y.git", ref = "v0.20.0"}\n')
    assert plan(tmp_path).problems == [
        "Pipfile [packages]: cannot migrate cdktf installed from a git source: edit it by hand"]


# --- locks, setup files, untouched files --------------------------------------------------------


def test_lock_files_are_listed_never_edited(tmp_path):
    write(tmp_path, "requirements.txt", "cdktf==0.20.0\n")
    locks = {"uv.lock": '[[package]]\nname = "cdktf"\nversion = "0.20.0"\n',
             "poetry.lock": '[[package]]\nname = "cdktf-cdktf-provider-aws"\nversion = "19.50.0"\n',
             "pdm.lock": '[[package]]\nname = "CDKTF"\nversion = "0.20.0"\n',
             "pylock.toml": '[[packages]]\nname = "boto3"\n'}
    for name, text in locks.items():
        write(tmp_path, name, text)
    result = plan(tmp_path)
    assert result.relock == [tmp_path / "uv.lock", tmp_path / "poetry.lock", tmp_path / "pdm.lock"]
    assert list(result.edits) == [tmp_path / "requirements.txt"] and result.problems == []


@pytest.mark.parametrize("name, text", [
    ("setup.py", 'from setuptools import setup\nsetup(name="infra", install_requires=["cdktf>=0.20", "constructs"])\n'),
    ("setup.py", "setup(install_requires=['cdktf-cdktf-provider-aws'])\n"),
    ("setup.cfg", "[options]\ninstall_requires =\n    cdktf>=0.20\n    constructs\n"),
])
def test_setup_files_naming_cdktf_are_a_problem(tmp_path, name, text):
    path = write(tmp_path, name, text)
    result = plan(tmp_path)
    assert result.problems == [f"{name} names cdktf: edit it by hand"] and result.edits == {}
    assert path.read_text() == text


def test_setup_file_not_naming_cdktf(tmp_path):
    write(tmp_path, "setup.py", 'setup(name="my-cdktf-app", install_requires=["cdktf_fix_helpers", "boto3"])\n')
    assert plan(tmp_path) == DependencyPlan({}, [], [], [])


def test_cdktf_json_and_unrelated_files_are_untouched(tmp_path):
    write(tmp_path, "cdktf.json", '{"language": "python", "app": "python main.py", "terraformProviders": ["aws@~>5.0"]}')
    write(tmp_path, "main.py", "from cdktf import App\n")
    write(tmp_path, "requirements.txt", "cdktf==0.20.0\n")
    write(tmp_path, "requirements-docs.txt", "mkdocs\ncdktf-local-exec\n")
    result = plan(tmp_path)
    assert list(result.edits) == [tmp_path / "requirements.txt"]


def test_nothing_to_do(tmp_path):
    write(tmp_path, "requirements.txt", "cdktn==0.24.0\ncdktn-provider-aws==25.8.1\n")
    write(tmp_path, "pyproject.toml", PEP621.replace("CDKTF-CDKTF-Provider-AWS", "cdktn-provider-aws").replace("cdktf", "cdktn"))
    assert plan(tmp_path) == DependencyPlan({}, [], [], [])
    assert plan(tmp_path / "missing") == DependencyPlan({}, [], [], [])


def test_versions_is_asked_once_per_distribution(tmp_path):
    write(tmp_path, "requirements.txt", "cdktf==0.20.0\n")
    write(tmp_path, "requirements-dev.txt", "cdktf==0.20.0\ncdktf-cdktf-provider-aws\n")
    asked = []
    plan_dependencies(tmp_path, lambda name: asked.append(name) or VERSIONS.get(name))
    assert asked == ["cdktn", "cdktn-provider-aws"]


def test_everything_at_once_is_idempotent(tmp_path):
    write(tmp_path, "requirements.txt", "cdktf~=0.20\r\ncdktf-cdktf-provider-aws>=19\r\n")
    write(tmp_path, "pyproject.toml", POETRY)
    write(tmp_path, "Pipfile", PIPFILE)
    result = apply(tmp_path)
    assert len(result.edits) == 3 and len(result.changes) == 11
    for path in result.edits:
        if path.name != "requirements.txt":
            tomllib.loads(path.read_text())
