#!/usr/bin/env python3
"""Build ``cdktf_fix/data/provider_history.json``: what successive majors of a prebuilt
provider package removed (modules, classes, keyword parameters), and in which release.

    python scripts/build_provider_history.py [--distribution cdktf-cdktf-provider-aws]
        [--out cdktf_fix/data/provider_history.json] [--first-major 10] [--last-major N]

1. The registry's releases (``pip index versions``, through ``target.registry_releases``);
   the last final release of each package major from ``--first-major`` on.  Majors before 10
   have the layout before cdktf 0.13 that the schema builder refuses (tried: 9.0.52 is
   refused); a major whose part cannot be had is skipped with one line.
2. Each release's schema part, with the machinery ``cdktf-fix schema fetch`` uses: the cache
   (or a shipped snapshot), else its wheel downloaded with pip, read as a zip file, cached and
   deleted.  One download at a time.  The Terraform provider version each release wraps is read
   from the same wheel (its jsii ``package.json``'s ``cdktf.provider.version``, else its README
   or the provider's registry links) and cached beside the parts
   (``<cache>/history/<distribution>-terraform.json``), so a rerun downloads nothing.
3. Consecutive releases are diffed: modules removed, classes removed from modules that stay,
   and, for every resource, data source, provider and struct class present in both, its keyword
   parameters removed (with those added to that class in the same release: rename candidates).

Each removed item records ``in``, the first release of the history without it, and ``last``,
the last release of the history with it: it went somewhere in between (the history holds one
release per major).  An item removed twice records its last removal; an item the newest release
has again is dropped.
"""

from __future__ import annotations

import argparse
import bisect
import io
import json
import marshal
import re
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cdktf_fix.schema import store  # noqa: E402
from cdktf_fix.schema.fetch import FetchError, download_wheel, wheel_version  # noqa: E402
from cdktf_fix.schema.model import Part  # noqa: E402
from cdktf_fix.schema.packages import (  # noqa: E402
    PackageFiles, canonicalize_name, installed_from, running_sites, wheel_files,
)
from cdktf_fix.schema.target import registry_releases  # noqa: E402

DEFAULT_DISTRIBUTION = "cdktf-cdktf-provider-aws"
DEFAULT_OUT = ROOT / "cdktf_fix" / "data" / "provider_history.json"
FIRST_MAJOR = 10  # the first major with cdktf 0.13's per-resource layout
KEYWORD_KINDS = frozenset({"resource", "data", "provider", "struct"})


# -- releases ----------------------------------------------------------------------------------


def last_of_each_major(versions: list[str], first_major: int, last_major: int | None = None) -> list[str]:
    """The last final release of each major from ``first_major`` (to ``last_major``), oldest first."""
    last: dict[int, Version] = {}
    for text in versions:
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if version.is_prerelease or version.is_devrelease or version.major < first_major:
            continue
        if last_major is not None and version.major > last_major:
            continue
        if version.major not in last or version > last[version.major]:
            last[version.major] = version
    return [str(last[major]) for major in sorted(last)]


# -- the Terraform provider a release wraps ------------------------------------------------------


def _read_bytes(files: PackageFiles, relative: str) -> bytes | None:
    """Bytes of a file of the package, in a wheel or an installed folder."""
    wheel = getattr(files, "wheel", None)
    if wheel is not None:
        try:
            return wheel.read(f"{files.package}/{relative}")
        except KeyError:
            return None
    try:
        return (Path(files.origin) / relative).read_bytes()
    except OSError:
        return None


def _jsii_tarball(files: PackageFiles) -> str | None:
    wheel = getattr(files, "wheel", None)
    if wheel is not None:
        names = [n for n in wheel.namelist() if n.startswith(f"{files.package}/_jsii/") and n.endswith(".jsii.tgz")]
        return names[0][len(files.package) + 1:] if names else None
    folder = Path(files.origin) / "_jsii"
    found = sorted(folder.glob("*.jsii.tgz")) if folder.is_dir() else []
    return f"_jsii/{found[0].name}" if found else None


def terraform_version(files: PackageFiles, provider: str) -> str | None:
    """The Terraform provider version the package wraps (``6.25.0``), or None.

    In order: the jsii ``package.json`` (``"cdktf": {"provider": {"version": ...}}``, every
    release since cdktf 0.13), the package README (``... provider version 6.25.0``), the
    provider class's registry links (``registry.terraform.io/providers/hashicorp/aws/6.25.0``).
    """
    tarball = _jsii_tarball(files)
    data = _read_bytes(files, tarball) if tarball else None
    if data:
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                member = archive.extractfile("package/package.json")
                package = json.loads(member.read()) if member else {}
            version = package.get("cdktf", {}).get("provider", {}).get("version")
            if isinstance(version, str) and re.fullmatch(r"\d+(\.\d+)*", version):
                return version
        except (tarfile.TarError, KeyError, OSError, ValueError, AttributeError):
            pass
    readme = files.init() or ""
    found = re.search(rf"{re.escape(provider)} provider version (\d+\.\d+\.\d+)", readme[:4000])
    if found:
        return found.group(1)
    found = re.search(rf"registry\.terraform\.io/providers/[\w-]+/{re.escape(provider)}/(\d+\.\d+\.\d+)", files.init("provider") or "")
    return found.group(1) if found else None


def _terraform_cache_path(distribution: str) -> Path:
    return store.cache_dir() / "history" / f"{canonicalize_name(distribution)}-terraform.json"


def _load_terraform_cache(distribution: str) -> dict[str, str]:
    try:
        data = json.loads(_terraform_cache_path(distribution).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.items()}
    except (OSError, ValueError, AttributeError):
        return {}


def _save_terraform_cache(distribution: str, known: dict[str, str]) -> None:
    try:
        store._atomic_write(_terraform_cache_path(distribution), json.dumps(known, indent=1, sort_keys=True).encode())
    except OSError:
        pass


# -- one release's part ------------------------------------------------------------------------


def obtain(distribution: str, version: str, terraform_known: dict[str, str]) -> tuple[Part, str | None, str]:
    """The part of ``distribution`` at ``version``, the Terraform provider version it wraps, and
    where they came from.  store.SchemaUnavailable when the part cannot be had."""
    provider = distribution.rpartition("-")[2]  # "aws"
    part = None
    try:
        part = store.load_part(distribution, version)  # the cache or a shipped snapshot; no fetch
    except store.SchemaUnavailable:
        pass
    terraform = terraform_known.get(version)
    if part is not None and terraform is None:
        installed = installed_from(running_sites()).get(distribution)
        if installed is not None and installed.version == version and installed.files() is not None:
            terraform = terraform_version(installed.files(), provider)
    if part is not None and terraform is not None:
        return part, terraform, store.ORIGINS.get((distribution, version), "cache")
    # the same steps as store.fetch_part, keeping the wheel open long enough to read the
    # Terraform version from it too
    with tempfile.TemporaryDirectory(prefix="cdktf-fix-wheel-", dir=store._download_dir()) as folder:
        try:
            wheel = download_wheel(f"{distribution}=={version}", Path(folder))
        except FetchError as error:
            raise store.SchemaUnavailable(str(error)) from None
        origin = f"fetched ({wheel.stat().st_size / 1e6:.0f} MB wheel)"
        if part is not None:
            origin = f"cache, its Terraform version from the wheel ({wheel.stat().st_size / 1e6:.0f} MB)"
        try:
            with wheel_files(wheel, distribution) as files:
                terraform = terraform_version(files, provider)
                if part is None:
                    part = store._keep(store._scanned(files, wheel_version(wheel)), None)[0]
        except (OSError, zipfile.BadZipFile) as error:
            raise store.SchemaUnavailable(f"cannot read {wheel.name}: {error}") from None
    return part, terraform, origin


def summarize(part: Part) -> dict[str, dict[str, tuple[str, frozenset[str] | None]]]:
    """module (without package) -> class -> (kind, keyword parameters for the kinds diffed)."""
    summary: dict[str, dict[str, tuple[str, frozenset[str] | None]]] = {}
    for module, names in part.names.items():
        short = module.partition(".")[2]
        if not short:
            continue
        details = marshal.loads(part.blobs[module]) if any(k in KEYWORD_KINDS for k in names.values()) else {}
        classes = {}
        for name, kind in names.items():
            params = None
            if kind in KEYWORD_KINDS and name in details:
                params = frozenset(p[0] for p in details[name]["params"])
            classes[name] = (kind, params)
        summary[short] = classes
    return summary


# -- the diff ----------------------------------------------------------------------------------


def extends(name: str, root: str) -> bool:
    """``name`` is ``root`` followed by more CamelCase words (a class nested in it):
    ``Wafv2WebAclRuleStatementAndStatement`` extends ``Wafv2WebAclRuleStatement``."""
    return len(name) > len(root) and name.startswith(root) and (name[len(root)].isupper() or name[len(root)].isdigit())


def _families(removed: set[str], old: set[str], newest: set[str]) -> dict[str, int]:
    """The removed classes of one module as entries: class -> how many classes extending it
    (``extends``) went with it, when it stands for them (0: an entry of its own).

    A removed class stands for the classes extending it when every class of the old release
    that extends it was removed too, and the newest release has none: then a lookup of any
    name extending it finds it.  (AWS provider 19 typed the wafv2 rule ``statement`` as any and
    dropped some 13,000 nested statement classes: one entry for each rule's ``Statement``.)
    """
    ordered = sorted(old)
    entries: dict[str, int] = {}
    roots: list[str] = []
    for name in sorted(removed):
        if any(extends(name, root) for root in roots):
            continue
        nested = []
        for i in range(bisect.bisect_right(ordered, name), len(ordered)):
            if not ordered[i].startswith(name):
                break
            if extends(ordered[i], name):
                nested.append(ordered[i])
        if nested and all(n in removed for n in nested) and not any(extends(n, name) for n in newest):
            roots.append(name)
            entries[name] = len(nested)
        else:
            entries[name] = 0
    return entries


def diff(history: list[tuple[str, dict]]) -> dict:
    """``removed`` of the output from (version, summary) pairs, oldest first."""
    modules: dict[str, dict] = {}
    classes: dict[str, dict] = {}
    keywords: dict[str, dict[str, dict]] = {}
    newest = history[-1][1]
    for (last, before), (now, after) in zip(history, history[1:]):
        span = {"in": now, "last": last}
        for module in before.keys() - after.keys():
            modules[module] = dict(span)
        for module in before.keys() & after.keys():
            old, new = before[module], after[module]
            for name, family in _families(old.keys() - new.keys(), old.keys(), newest.get(module, {}).keys()).items():
                classes[f"{module}.{name}"] = dict(span, family=family) if family else dict(span)
            for name in old.keys() & new.keys():
                (_, was), (_, is_) = old[name], new[name]
                if was is None or is_ is None:
                    continue
                gone = was - is_
                if not gone:
                    continue
                added = sorted(is_ - was)
                entry = keywords.setdefault(f"{module}.{name}", {})
                for keyword in gone:
                    entry[keyword] = dict(span, added_then=added)
    # what the newest release has again is not removed
    modules = {m: e for m, e in modules.items() if m not in newest}
    classes = {q: e for q, e in classes.items() if q.rpartition(".")[2] not in newest.get(q.rpartition(".")[0], {})}
    kept_keywords = {}
    for qualified, entries in keywords.items():
        module, _, name = qualified.rpartition(".")
        params = newest.get(module, {}).get(name, (None, None))[1] or frozenset()
        entries = {k: e for k, e in entries.items() if k not in params}
        if entries:
            kept_keywords[qualified] = entries
    return {"modules": modules, "classes": classes, "keywords": kept_keywords}


def counts_by_release(removed: dict) -> dict[str, dict[str, int]]:
    """Per release: modules, class entries, the classes they stand for, keywords removed."""
    counts: dict[str, dict[str, int]] = {}

    def of(version: str) -> dict[str, int]:
        return counts.setdefault(version, {"modules": 0, "entries": 0, "classes": 0, "keywords": 0})

    for entry in removed["modules"].values():
        of(entry["in"])["modules"] += 1
    for entry in removed["classes"].values():
        of(entry["in"])["entries"] += 1
        of(entry["in"])["classes"] += 1 + entry.get("family", 0)
    for entries in removed["keywords"].values():
        for entry in entries.values():
            of(entry["in"])["keywords"] += 1
    return counts


# -- output ------------------------------------------------------------------------------------


def render(data: dict) -> str:
    """Sorted JSON with one line per removed item (per class for keywords): small and diffable."""

    def dump(value) -> str:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    lines = ["{"]
    top = sorted(data)
    for i, key in enumerate(top):
        comma = "," if i < len(top) - 1 else ""
        value = data[key]
        if key == "removed":
            lines.append(f"{dump(key)}:{{")
            sections = sorted(value)
            for j, section in enumerate(sections):
                entries = value[section]
                lines.append(f"{dump(section)}:{{")
                names = sorted(entries)
                for k, name in enumerate(names):
                    lines.append(f"{dump(name)}:{dump(entries[name])}" + ("," if k < len(names) - 1 else ""))
                lines.append("}" + ("," if j < len(sections) - 1 else ""))
            lines.append("}" + comma)
        elif key == "releases":
            lines.append(f"{dump(key)}:[")
            for k, release in enumerate(value):
                lines.append(dump(release) + ("," if k < len(value) - 1 else ""))
            lines.append("]" + comma)
        else:
            lines.append(f"{dump(key)}:{dump(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distribution", default=DEFAULT_DISTRIBUTION)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--first-major", type=int, default=FIRST_MAJOR)
    parser.add_argument("--last-major", type=int, default=None)
    args = parser.parse_args(argv)
    distribution = canonicalize_name(args.distribution)
    if not distribution.startswith(("cdktf-cdktf-provider-", "cdktn-provider-")):
        parser.error(f"{distribution} is not a prebuilt provider package")

    started = time.monotonic()
    releases = registry_releases(distribution, fetch=True)
    if not releases:
        print(f"cannot list the releases of {distribution} (pip index versions)", file=sys.stderr)
        return 2
    wanted = last_of_each_major(releases, args.first_major, args.last_major)
    print(f"{distribution}: {len(releases)} releases; the last of each major from {args.first_major}: {', '.join(wanted)}", flush=True)

    terraform_known = _load_terraform_cache(distribution)
    history: list[tuple[str, dict]] = []
    used: list[dict] = []
    skipped: dict[str, str] = {}
    for n, version in enumerate(wanted, 1):
        began = time.monotonic()
        print(f"[{n}/{len(wanted)}] {version}: ...", flush=True)
        try:
            part, terraform, origin = obtain(distribution, version, terraform_known)
        except store.SchemaUnavailable as error:
            skipped[version] = str(error)
            print(f"[{n}/{len(wanted)}] {version}: skipped: {error}", flush=True)
            continue
        if terraform:
            terraform_known[version] = terraform
            _save_terraform_cache(distribution, terraform_known)
        summary = summarize(part)
        del part
        n_classes = sum(len(c) for c in summary.values())
        label = f"{distribution.rpartition('-')[2]} {terraform}" if terraform else None
        print(f"[{n}/{len(wanted)}] {version}: {origin}, wraps {label or 'an unknown Terraform provider version'}, "
              f"{len(summary):,} modules, {n_classes:,} classes ({time.monotonic() - began:.1f} s)", flush=True)
        history.append((version, summary))
        used.append({"version": version, "terraform": label})
    if len(history) < 2:
        print("fewer than two releases could be read: nothing to diff", file=sys.stderr)
        return 1

    removed = diff(history)
    data = {
        "distribution": distribution,
        "source": f"built by scripts/build_provider_history.py from {', '.join(v for v, _ in history)}",
        "releases": used,
        "removed": removed,
    }
    if skipped:
        data["skipped"] = skipped
    text = render(data)
    json.loads(text)  # it is JSON
    store._atomic_write(args.out, text.encode("utf-8"))

    counts = counts_by_release(removed)
    print("\nremoved, by the first release without it (classes: entries, and the classes they stand for):")
    total = {"modules": 0, "entries": 0, "classes": 0, "keywords": 0}
    for version, _ in history[1:]:
        c = counts.get(version, {"modules": 0, "entries": 0, "classes": 0, "keywords": 0})
        total = {k: total[k] + c[k] for k in total}
        print(f"  {version:>10} ({terraform_known.get(version, '?'):>7}): {c['modules']:3,} modules, "
              f"{c['entries']:3,} class entries ({c['classes']:6,} classes), {c['keywords']:4,} keywords")
    print(f"  {'total':>20}: {total['modules']:3,} modules, {total['entries']:3,} class entries ({total['classes']:6,} classes), {total['keywords']:4,} keywords")
    print(f"wrote {args.out} ({len(text.encode()):,} bytes) in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
